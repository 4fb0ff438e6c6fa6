import { displayWidth } from "@victor/terminal";
import { afterEach, describe, expect, it } from "vitest";
import { fakeContext, type FakeContext } from "../test-helpers/fake-context.js";
import { helpCommand } from "./help.js";

let ctx: FakeContext;
afterEach(() => ctx.cleanup());

describe("/help", () => {
  it("lists every command with its usage and aliases", async () => {
    ctx = fakeContext();
    await helpCommand.run(ctx, []);
    for (const c of ctx.commands) expect(ctx.text).toContain(c.usage);
    expect(ctx.text).toContain("/history");
    expect(ctx.text).toContain("/quit");
  });

  it.each([40, 60, 80, 120])("fits a %i-column terminal", async (width) => {
    ctx = fakeContext({ width });
    await helpCommand.run(ctx, []);
    for (const line of ctx.text.split("\n")) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
    for (const c of ctx.commands) expect(ctx.text.replace(/\s+/g, " ")).toContain(c.description.slice(0, 20));
  });
});

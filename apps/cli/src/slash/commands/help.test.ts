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
});

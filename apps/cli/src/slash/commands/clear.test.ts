import { afterEach, describe, expect, it } from "vitest";
import { fakeContext, msg, type FakeContext } from "../test-helpers/fake-context.js";
import { clearCommand } from "./clear.js";

let ctx: FakeContext;
afterEach(() => ctx.cleanup());

describe("/clear", () => {
  it("starts an empty conversation with no active session, warning about unsaved messages", async () => {
    ctx = fakeContext();
    ctx.state.append(msg("user", "hi"));
    ctx.state.activeSessionId = "x";
    await clearCommand.run(ctx, []);
    expect(ctx.state.messages).toEqual([]);
    expect(ctx.state.activeSessionId).toBeNull();
    expect(ctx.errors.join()).toMatch(/unsaved/);
  });
});

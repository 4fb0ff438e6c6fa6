import { afterEach, describe, expect, it } from "vitest";
import { fakeContext, msg, type FakeContext } from "../test-helpers/fake-context.js";
import { clearCommand } from "./clear.js";

let ctx: FakeContext;
afterEach(() => ctx.cleanup());

describe("/clear", () => {
  it("piped: starts an empty conversation with no active session, noting the unsaved messages", async () => {
    ctx = fakeContext();
    ctx.state.markSaved("x");
    ctx.state.append(msg("user", "hi"));
    await clearCommand.run(ctx, []);
    expect(ctx.state.messages).toEqual([]);
    expect(ctx.state.activeSessionId).toBeNull();
    expect(ctx.errors.join()).toMatch(/unsaved/);
  });

  it("on a terminal asks save / discard / cancel: cancel keeps everything", async () => {
    ctx = fakeContext({ interactive: true, inputs: ["c"] });
    ctx.state.append(msg("user", "precious"));
    await clearCommand.run(ctx, []);
    expect(ctx.questions[0]).toMatch(/1 message in this conversation is not saved/);
    expect(ctx.state.messages.map((m) => m.content)).toEqual(["precious"]);
    expect(ctx.text).toContain("Cancelled.");
  });

  it("on a terminal, save stores the conversation first, then clears", async () => {
    ctx = fakeContext({ interactive: true, inputs: ["s"] });
    ctx.state.append(msg("user", "keep me"));
    await clearCommand.run(ctx, []);
    const [saved] = await (await ctx.store()).listSessions();
    expect(saved!.title).toBe("keep me");
    expect(ctx.state.messages).toEqual([]);
  });

  it("on a terminal, discard clears without saving", async () => {
    ctx = fakeContext({ interactive: true, inputs: ["d"] });
    ctx.state.append(msg("user", "drop me"));
    await clearCommand.run(ctx, []);
    expect(ctx.state.messages).toEqual([]);
    expect(await ctx.existingStore()).toBeNull();
  });
});

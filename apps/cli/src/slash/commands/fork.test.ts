import { afterEach, describe, expect, it } from "vitest";
import { fakeContext, msg, type FakeContext } from "../test-helpers/fake-context.js";
import { forkCommand } from "./fork.js";

let ctx: FakeContext;
afterEach(() => ctx.cleanup());

describe("/fork", () => {
  it("continues in a new session of the first N messages, which names its parent and point", async () => {
    ctx = fakeContext();
    for (const text of ["q1", "a1", "q2", "a2"]) ctx.state.append(msg(text.startsWith("q") ? "user" : "assistant", text));
    const store = await ctx.store();
    const { sessionId } = await store.saveSession({ conversation: ctx.state.conversation, model: "m", provider: "p", title: "Mine" });
    ctx.state.markSaved(sessionId, { title: "Mine", titleIsCustom: true, tags: ["t"], createdAt: "2026-01-01T00:00:00.000Z", extra: {}, metadataExtra: {} });
    await forkCommand.run(ctx, ["2"]);
    const fork = ctx.state.activeSessionId!;
    expect(fork).not.toBe(sessionId);
    expect(ctx.state.messages.map((m) => m.content)).toEqual(["q1", "a1"]);
    expect(ctx.state.hasUnsavedMessages).toBe(false);
    expect((await store.getSession(fork)).metadata).toMatchObject({ parent_id: sessionId, fork_point: 2, title: "Mine (fork)", tags: ["t"] });
    expect(ctx.text).toMatch(new RegExp(`From:\\s+${sessionId} at message 2`));
    await forkCommand.run(ctx, ["Named", "copy"]);
    expect((await store.getSession(ctx.state.activeSessionId!)).metadata).toMatchObject({ parent_id: fork, fork_point: 2, title: "Named copy" });
  });

  it("needs a saved session and a message number within the conversation", async () => {
    ctx = fakeContext();
    ctx.state.append(msg("user", "q"));
    await expect(forkCommand.run(ctx, [])).rejects.toThrow(/\/fork needs a saved session to fork from: \/save first/);
    ctx.state.markSaved("somewhere");
    await expect(forkCommand.run(ctx, ["2"])).rejects.toThrow(/The conversation has 1 message: \/fork N takes 1 to 1/);
    await expect(forkCommand.run(ctx, ["0"])).rejects.toThrow(/must be a whole number of at least 1/);
    // A number that is not a message number is an error, not the fork's title.
    await expect(forkCommand.run(ctx, ["-1"])).rejects.toThrow(/\/fork N must be a whole number of at least 1 \(got "-1"\)/);
    await expect(forkCommand.run(ctx, ["1.5", "Title"])).rejects.toThrow(/\/fork N must be a whole number of at least 1 \(got "1\.5"\)/);
    expect(await ctx.existingStore()).toBeNull();
  });
});

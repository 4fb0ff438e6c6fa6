import { afterEach, describe, expect, it } from "vitest";
import { fakeContext, msg, type FakeContext } from "../test-helpers/fake-context.js";
import { compactCommand } from "./compact.js";
import { rewindCommand } from "./rewind.js";

let ctx: FakeContext;
afterEach(() => ctx.cleanup());

describe("/rewind", () => {
  it("drops the last exchanges, keeps them at once as a fork, and /compact --undo takes the rewind back", async () => {
    ctx = fakeContext();
    for (const text of ["q1", "a1", "q2", "a2", "q3", "a3"]) ctx.state.append(msg(text.startsWith("q") ? "user" : "assistant", text));
    const store = await ctx.store();
    const { sessionId } = await store.saveSession({ conversation: ctx.state.conversation, model: "m", provider: "p" });
    ctx.state.markSaved(sessionId);
    const everything = ctx.state.messages;
    await rewindCommand.run(ctx, ["2"]);
    expect(ctx.state.messages.map((m) => m.content)).toEqual(["q1", "a1"]);
    expect(ctx.state.contextChange).toEqual({ kind: "rewind", through: 2 });
    const kept = /kept in session (\S+) \(a fork of (\S+) at message 2\)/.exec(ctx.text)!;
    expect(kept[2]).toBe(sessionId);
    const fork = await store.getSession(kept[1]!);
    expect(fork.conversation.messages).toEqual(everything);
    expect(fork.metadata).toMatchObject({ parent_id: sessionId, fork_point: 2, title: "q1 (before rewind)" });
    await compactCommand.run(ctx, ["--undo"]);
    expect(ctx.state.messages).toEqual(everything);
    expect(ctx.text).toMatch(/Undid the rewind: back to 6 messages/);
  });

  it("says when there is nothing to rewind, and refuses more exchanges than there are or extra words", async () => {
    ctx = fakeContext();
    await rewindCommand.run(ctx, []);
    expect(ctx.text).toMatch(/Nothing to rewind/);
    ctx.state.append(msg("user", "q"));
    ctx.state.append(msg("assistant", "a"));
    await expect(rewindCommand.run(ctx, ["2"])).rejects.toThrow(/Only 1 exchange to rewind/);
    await expect(rewindCommand.run(ctx, ["1", "2"])).rejects.toThrow(/Usage: \/rewind \[N\] \(one number of exchanges, not "1 2"\)/);
    expect(await ctx.existingStore()).toBeNull();
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { fakeContext, msg, type FakeContext } from "../test-helpers/fake-context.js";
import { compactSimple } from "../../repl/compact.js";
import { compactCommand } from "./compact.js";

let ctx: FakeContext;
afterEach(() => ctx.cleanup());

const fill = (c: FakeContext, n: number): void => {
  c.state.append(msg("system", "sys"));
  for (let i = 0; i < n; i++) c.state.append(msg(i % 2 ? "assistant" : "user", `m${i}`));
};

describe("/compact", () => {
  it("keeps the system prompt and the last 6 by default, writes nothing", async () => {
    ctx = fakeContext();
    fill(ctx, 10);
    ctx.state.markSaved("keep-me");
    await compactCommand.run(ctx, []);
    expect(ctx.state.messages.map((m) => m.content)).toEqual(["sys", "m4", "m5", "m6", "m7", "m8", "m9"]);
    expect(ctx.state.activeSessionId).toBe("keep-me");
    expect(await ctx.existingStore()).toBeNull();
  });

  it("--smart --keep 2 summarises the rest with the model", async () => {
    ctx = fakeContext({ summary: "the gist" });
    fill(ctx, 10);
    await compactCommand.run(ctx, ["--smart", "--keep", "2"]);
    expect(ctx.state.messages.map((m) => m.content)).toEqual(["sys", "[Previous conversation summary]\nthe gist", "m8", "m9"]);
    expect(ctx.state.hasUnsavedMessages).toBe(true);
  });

  it("--smart refuses an empty summary and changes nothing", async () => {
    ctx = fakeContext({ summary: "  " });
    fill(ctx, 10);
    const before = ctx.state.messages;
    await expect(compactCommand.run(ctx, ["--smart"])).rejects.toThrow(/Not compacted: the model's summary came back empty\. Nothing changed/);
    expect(ctx.state.messages).toBe(before);
    expect(ctx.state.contextChange).toBeUndefined();
  });

  it("--undo takes back a compaction not saved yet, keeping what came after it", async () => {
    ctx = fakeContext();
    fill(ctx, 10);
    const before = ctx.state.messages;
    await compactCommand.run(ctx, ["--keep", "2"]);
    expect(ctx.state.contextChange).toEqual({ kind: "compact", through: 3 });
    ctx.state.append(msg("user", "after"));
    await compactCommand.run(ctx, ["--undo"]);
    expect(ctx.state.messages.map((m) => m.content)).toEqual([...before.map((m) => m.content), "after"]);
    expect(ctx.state.contextChange).toBeUndefined();
    expect(ctx.text).toMatch(/Undid the compaction: back to 12 messages\. Nothing is written until \/save/);
    await compactCommand.run(ctx, ["--undo"]);
    expect(ctx.text).toMatch(/Nothing to undo: no compaction in this conversation/);
  });

  it("--undo of a saved compaction brings its context back from the store; the next /save records the undo", async () => {
    ctx = fakeContext();
    fill(ctx, 10);
    const store = await ctx.store();
    const original = ctx.state.messages;
    const { sessionId } = await store.saveSession({ conversation: ctx.state.conversation, model: "m", provider: "p" });
    await store.saveSession({ sessionId, conversation: { messages: compactSimple(original, 2) }, model: "m", provider: "p", contextChange: { kind: "compact" } });
    ctx.state.restoreSession(await store.getSession(sessionId));
    await compactCommand.run(ctx, ["--undo"]);
    expect(ctx.state.messages).toEqual(original);
    expect(ctx.state.contextChange).toEqual({ kind: "undo", epoch: 1 });
    expect(ctx.text).toMatch(new RegExp(`Undid the compaction of [\\d-]+ [\\d:]+: back to 11 messages\\. Nothing is written until /save updates session ${sessionId}`));
    await expect(compactCommand.run(ctx, ["--undo"])).rejects.toThrow(/One undo at a time/);
    await expect(compactCommand.run(ctx, ["--undo", "--smart"])).rejects.toThrow(/takes no other option/);
  });

  it("says so when there is nothing to compact, and rejects a bad --keep", async () => {
    ctx = fakeContext();
    fill(ctx, 3);
    await compactCommand.run(ctx, []);
    expect(ctx.text).toMatch(/Nothing to compact/);
    await expect(compactCommand.run(ctx, ["--keep", "x"])).rejects.toThrow(/--keep must be a whole number of at least 1/);
  });
});

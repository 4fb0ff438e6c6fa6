import { afterEach, describe, expect, it } from "vitest";
import { fakeContext, msg, type FakeContext } from "../test-helpers/fake-context.js";
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

  it("says so when there is nothing to compact, and rejects a bad --keep", async () => {
    ctx = fakeContext();
    fill(ctx, 3);
    await compactCommand.run(ctx, []);
    expect(ctx.text).toMatch(/Nothing to compact/);
    await expect(compactCommand.run(ctx, ["--keep", "x"])).rejects.toThrow(/--keep must be a whole number of at least 1/);
  });
});

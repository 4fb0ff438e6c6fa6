import { cpSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { fakeContext, type FakeContext } from "../test-helpers/fake-context.js";
import { loadCommand } from "./load.js";
import { saveCommand } from "./save.js";

const samples = join(dirname(fileURLToPath(import.meta.url)), "../../../../../examples/legacy-sessions/project/.victor/sessions");
let ctx: FakeContext;
afterEach(() => ctx.cleanup());

function withSamples(): FakeContext {
  const c = fakeContext();
  cpSync(samples, c.dir.join(".victor", "sessions"), { recursive: true });
  return c;
}

describe("/load", () => {
  it("opens a legacy file read-only and /save stores it under the same id", async () => {
    ctx = withSamples();
    const file = ctx.dir.join(".victor", "sessions", "20251215_145334.json");
    const before = readFileSync(file);
    await loadCommand.run(ctx, ["20251215_145334"]);
    expect(ctx.text).toMatch(/Legacy Session Loaded[\s\S]*Refactoring Authentication/);
    expect(ctx.state.messages).toHaveLength(15);
    expect([ctx.state.provider, ctx.state.model]).toEqual(["ollama", "qwen2.5-coder:7b"]);
    expect(ctx.state.hasUnsavedMessages).toBe(true);
    await saveCommand.run(ctx, []);
    const stored = await (await ctx.store()).getSession("20251215_145334");
    expect(stored.metadata.title).toBe("Refactoring Authentication");
    expect(stored.conversation.messages).toHaveLength(15);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it("accepts a unique prefix of a file's id; an ambiguous one lists the candidates", async () => {
    ctx = withSamples();
    await loadCommand.run(ctx, ["20251215_14"]);
    expect(ctx.text).toMatch(/ID:\s+20251215_145334/);
    await expect(loadCommand.run(ctx, ["2025"])).rejects.toThrow(/matches \d+ sessions/);
  });

  it("fails clearly for damaged, empty and missing files", async () => {
    ctx = withSamples();
    await expect(loadCommand.run(ctx, ["empty"])).rejects.toThrow(/empty\.json: empty file/);
    await expect(loadCommand.run(ctx, ["notes"])).rejects.toThrow(/not a Victor session/);
    await expect(loadCommand.run(ctx, ["nothing-here"])).rejects.toThrow(/Legacy session not found: nothing-here/);
    await expect(loadCommand.run(ctx, ["../etc"])).rejects.toThrow(/Invalid session id/);
  });

  it("recovers a file cut short after conversation_state", async () => {
    ctx = fakeContext();
    cpSync(join(samples, "../../../home/.victor/sessions/20251225_071215.json"), ctx.dir.join(".victor", "sessions", "20251225_071215.json"), { recursive: true });
    await loadCommand.run(ctx, ["20251225_071215"]);
    expect(ctx.state.messages).toHaveLength(7);
    expect(ctx.text).toMatch(/recovered/);
  });

  it("shows the title a file derived from its first message as the one the save will give", async () => {
    ctx = fakeContext();
    cpSync(join(samples, "../../../home/.victor/sessions/20251228_175459.json"), ctx.dir.join(".victor", "sessions", "20251228_175459.json"));
    await loadCommand.run(ctx, ["20251228_175459"]);
    expect(ctx.text).toMatch(/Title:\s+Span session metrics span index metrics refacto\S* \(from the first message\)/);
    await saveCommand.run(ctx, []);
    expect((await (await ctx.store()).getSession("20251228_175459")).metadata.title).toMatch(/^Span session metrics span index metrics refacto/);
  });
});

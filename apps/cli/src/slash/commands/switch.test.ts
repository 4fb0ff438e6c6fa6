import { afterEach, describe, expect, it } from "vitest";
import { fakeContext, msg, type FakeContext } from "../test-helpers/fake-context.js";
import { switchCommand } from "./switch.js";

let ctx: FakeContext;
afterEach(() => ctx.cleanup());

describe("/switch", () => {
  it("without args prints the current provider and model", async () => {
    ctx = fakeContext();
    await switchCommand.run(ctx, []);
    expect(ctx.text).toBe("Current model: ollama:qwen2.5-coder:7b");
  });

  it("bare model with a colon stays on the current provider", async () => {
    ctx = fakeContext();
    ctx.state.setTarget({ provider: "openai-compatible" });
    await switchCommand.run(ctx, ["qwen2.5-coder:14b"]);
    expect([ctx.state.provider, ctx.state.model]).toEqual(["openai-compatible", "qwen2.5-coder:14b"]);
  });

  it("gpt-4 --resume resumes the most recent session, then switches to OpenAI", async () => {
    ctx = fakeContext();
    const store = await ctx.store();
    await store.saveSession({ sessionId: "design", title: "Design phase", conversation: { messages: [msg("user", "x")] }, model: "claude-sonnet-4-20250514", provider: "anthropic" });
    await switchCommand.run(ctx, ["gpt-4", "--resume"]);
    expect(ctx.state.activeSessionId).toBe("design");
    expect([ctx.state.provider, ctx.state.model]).toEqual(["openai", "gpt-4"]);
  });

  it("a failed resume cancels the switch", async () => {
    ctx = fakeContext();
    await expect(switchCommand.run(ctx, ["openai:gpt-4", "--resume", "missing"])).rejects.toThrow("Session not found: missing");
    expect([ctx.state.provider, ctx.state.model]).toEqual(["ollama", "qwen2.5-coder:7b"]);
  });
});

describe("/switch --resume with a conversation open", () => {
  it("continues this conversation with the new model instead of loading another session", async () => {
    ctx = fakeContext();
    const store = await ctx.store();
    await store.saveSession({ sessionId: "other", title: "Other work", conversation: { messages: [msg("user", "elsewhere")] }, model: "m", provider: "anthropic" });
    ctx.state.append(msg("user", "typed but not saved"));
    await switchCommand.run(ctx, ["gpt-4", "--resume"]);
    expect(ctx.state.messages.map((m) => m.content)).toEqual(["typed but not saved"]);
    expect(ctx.state.activeSessionId).toBeNull();
    expect([ctx.state.provider, ctx.state.model]).toEqual(["ollama", "gpt-4"]);
    expect(ctx.text).toContain("Continuing this conversation");
  });
});

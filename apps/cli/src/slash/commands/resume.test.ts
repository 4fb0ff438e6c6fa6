import { mkdirSync, writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { fakeContext, msg, type FakeContext } from "../test-helpers/fake-context.js";
import { resumeCommand } from "./resume.js";

let ctx: FakeContext;
afterEach(() => ctx.cleanup());

async function seed(c: FakeContext): Promise<void> {
  const store = await c.store();
  await store.saveSession({ sessionId: "20250107_153045", title: "Auth work", conversation: { messages: [msg("user", "a"), msg("assistant", "b")] }, model: "claude-x", provider: "anthropic", conversationState: { state: { stage: "PLANNING" } } });
  await store.saveSession({ sessionId: "20250108_090000", conversation: { messages: [msg("user", "later")] }, model: "gpt-4", provider: "openai" });
}

describe("/resume", () => {
  it("restores messages, model, provider and state from a unique prefix", async () => {
    ctx = fakeContext();
    await seed(ctx);
    await resumeCommand.run(ctx, ["20250107"]);
    expect(ctx.state.activeSessionId).toBe("20250107_153045");
    expect(ctx.state.messages.map((m) => m.content)).toEqual(["a", "b"]);
    expect([ctx.state.provider, ctx.state.model]).toEqual(["anthropic", "claude-x"]);
    expect(ctx.state.conversationState).toEqual({ state: { stage: "PLANNING" } });
    expect(ctx.state.hasUnsavedMessages).toBe(false);
    expect(ctx.text).toContain("Session Resumed");
  });

  it("fails with Session not found for an unknown id, changing nothing", async () => {
    ctx = fakeContext();
    await seed(ctx);
    await expect(resumeCommand.run(ctx, ["nope"])).rejects.toThrow("Session not found: nope");
    expect(ctx.state.activeSessionId).toBeNull();
  });

  it("an id that is only a legacy JSON file says so and names /load and victor-migrate (with or without a database)", async () => {
    ctx = fakeContext();
    mkdirSync(ctx.dir.join("home", ".victor", "sessions"), { recursive: true });
    writeFileSync(ctx.dir.join("home", ".victor", "sessions", "20250107_153045.json"), "{}");
    const legacyHint = /^Session not found: 20250107_15\. .*20250107_153045\.json is a legacy JSON session, not in the database yet: \/load 20250107_153045 opens it .*victor-migrate/;
    await expect(resumeCommand.run(ctx, ["20250107_15"])).rejects.toThrow(legacyHint);
    await seed(ctx);
    await (await ctx.store()).deleteSession("20250107_153045");
    await expect(resumeCommand.run(ctx, ["20250107_15"])).rejects.toThrow(legacyHint);
    await expect(resumeCommand.run(ctx, ["nope"])).rejects.toThrow(/^Session not found: nope$/);
    expect(ctx.state.activeSessionId).toBeNull();
  });

  it("without an id, reads the number from the next input line", async () => {
    ctx = fakeContext({ inputs: ["2"] });
    await seed(ctx);
    await resumeCommand.run(ctx, []);
    expect(ctx.text).toMatch(/1\. 20250108_090000[\s\S]*2\. 20250107_153045/);
    expect(ctx.state.activeSessionId).toBe("20250107_153045");
  });

  it("on a terminal, the picker's choice is resumed; a cancelled picker changes nothing", async () => {
    ctx = fakeContext({ interactive: true, pick: "20250108_090000" });
    await seed(ctx);
    await resumeCommand.run(ctx, []);
    expect(ctx.state.activeSessionId).toBe("20250108_090000");
    const cancelled = fakeContext({ interactive: true, pick: null });
    await seed(cancelled);
    await resumeCommand.run(cancelled, []);
    expect(cancelled.state.activeSessionId).toBeNull();
    expect(cancelled.text).toContain("Resume cancelled.");
    await cancelled.cleanup();
  });

  it("asks about unsaved messages before replacing them (cancel keeps them)", async () => {
    ctx = fakeContext({ interactive: true, inputs: ["c"] });
    await seed(ctx);
    ctx.state.append(msg("user", "unsaved"));
    await resumeCommand.run(ctx, ["20250107"]);
    expect(ctx.state.messages.map((m) => m.content)).toEqual(["unsaved"]);
    await expect(resumeCommand.run(ctx, ["nope"])).rejects.toThrow("Session not found: nope");
    expect(ctx.questions).toHaveLength(1);
  });

  it("resumes the session the prefix named, even when saving the unsaved messages first makes the prefix ambiguous", async () => {
    ctx = fakeContext({ interactive: true, inputs: ["s"] });
    const store = await ctx.store();
    await store.saveSession({ sessionId: "20250107_153045", conversation: { messages: [msg("user", "old work")] }, model: "claude-x", provider: "anthropic" });
    ctx.state.append(msg("user", "unsaved"));
    await resumeCommand.run(ctx, ["20"]);
    // The save made a second session whose id starts with "20" too.
    expect((await store.listSessions({ limit: -1 })).map((s) => s.id).filter((id) => id.startsWith("20"))).toHaveLength(2);
    expect(ctx.state.activeSessionId).toBe("20250107_153045");
    expect(ctx.state.messages.map((m) => m.content)).toEqual(["old work"]);
  });

  it("an invalid or empty answer cancels", async () => {
    ctx = fakeContext({ inputs: ["9", ""] });
    await seed(ctx);
    await resumeCommand.run(ctx, []);
    expect(ctx.text).toMatch(/cancelled: "9"/);
    await resumeCommand.run(ctx, []);
    expect(ctx.out.at(-1)).toBe("Resume cancelled.");
    expect(ctx.state.activeSessionId).toBeNull();
  });
});

import { openSessionStore } from "@victor/core";
import { migrateLegacySessions } from "@victor/migrate";
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { fakeContext, msg, type FakeContext } from "../test-helpers/fake-context.js";
import { settleUnsaved } from "../unsaved.js";
import { saveCommand } from "./save.js";

let ctx: FakeContext;
afterEach(() => ctx.cleanup());

describe("/save", () => {
  it("refuses an empty conversation instead of creating an empty session", async () => {
    ctx = fakeContext();
    await saveCommand.run(ctx, ["Nothing yet"]);
    expect(ctx.errors.join("\n")).toMatch(/Nothing to save yet/);
    expect(ctx.state.activeSessionId).toBeNull();
    expect(await (await ctx.store()).countSessions()).toBe(0);
  });

  it("creates, then updates the active session, keeping the id", async () => {
    ctx = fakeContext();
    ctx.state.append(msg("user", "hello"));
    await saveCommand.run(ctx, ["Design phase"]);
    expect(ctx.text).toMatch(/Session Saved[\s\S]*Action:\s+created[\s\S]*Title:\s+Design phase[\s\S]*\/resume \d{8}_\d{6}/);
    const id = ctx.state.activeSessionId!;
    expect(ctx.state.hasUnsavedMessages).toBe(false);
    ctx.state.append(msg("assistant", "hi"));
    await saveCommand.run(ctx, []);
    expect(ctx.state.activeSessionId).toBe(id);
    expect(ctx.out.at(-1)).toMatch(/Action:\s+updated[\s\S]*Title:\s+Design phase/);
    const stored = await (await ctx.store()).getSession(id);
    expect(stored.conversation.messages.map((m) => m.content)).toEqual(["hello", "hi"]);
  });

  it("reports a conflict with the two choices, and --force / --new resolve it", async () => {
    ctx = fakeContext();
    ctx.state.append(msg("user", "mine"));
    await saveCommand.run(ctx, []);
    const id = ctx.state.activeSessionId!;
    const store = await ctx.store();
    // Another process saves the same session meanwhile.
    const other = await openSessionStore({ dbPath: ctx.dbPath });
    await other.saveSession({ conversation: { messages: [msg("user", "theirs")] }, model: "m", provider: "p", sessionId: id });
    await other.close();
    ctx.state.append(msg("assistant", "reply"));
    await saveCommand.run(ctx, []);
    expect(ctx.errors.join("\n")).toMatch(/\/save --new[\s\S]*\/save --force/);
    await saveCommand.run(ctx, ["--force"]);
    expect((await store.getSession(id)).conversation.messages.map((m) => m.content)).toEqual(["mine", "reply"]);
    await saveCommand.run(ctx, ["--new", "Copy"]);
    expect(ctx.state.activeSessionId).not.toBe(id);
    expect(ctx.out.at(-1)).toMatch(/Action:\s+created/);
  });

  it("rejects unknown flags", async () => {
    ctx = fakeContext();
    await expect(saveCommand.run(ctx, ["--bogus"])).rejects.toThrow(/unknown option --bogus/);
  });
});

describe("/save --new", () => {
  it("keeps title, tags, unknown keys and the original creation time, as sessions fork does", async () => {
    ctx = fakeContext();
    const store = await ctx.store();
    await store.saveSession({
      sessionId: "orig",
      title: "Design phase",
      tags: ["auth", "v2"],
      createdAt: "2025-01-07T14:30:45.123Z",
      extra: { execution_state: { step: 3 } },
      metadataExtra: { legacy: { source: "x.json" } },
      conversation: { messages: [msg("user", "hello")] },
      model: "m",
      provider: "anthropic",
    });
    await ctx.existingStore();
    const { resumeSession } = await import("../resume-session.js");
    await resumeSession(ctx, "orig");
    ctx.state.append(msg("assistant", "more"));
    await saveCommand.run(ctx, ["--new"]);
    const copy = await store.getSession(ctx.state.activeSessionId!);
    expect(copy.metadata.session_id).not.toBe("orig");
    expect(copy.metadata.title).toBe("Design phase");
    expect(copy.metadata.tags).toEqual(["auth", "v2"]);
    expect(copy.metadata.created_at).toBe("2025-01-07T14:30:45.123Z");
    expect(copy.metadata.parent_id).toBe("orig");
    expect(copy.metadata.legacy).toEqual({ source: "x.json" });
    expect(copy.execution_state).toEqual({ step: 3 });
    expect(copy.conversation.messages.map((m) => m.content)).toEqual(["hello", "more"]);
  });
});

describe("openai-compatible server", () => {
  it("is saved with the session and restored by /resume", async () => {
    ctx = fakeContext();
    ctx.state.setTarget({ provider: "openai-compatible", model: "local-coder", baseUrl: "http://127.0.0.1:8080/v1" });
    ctx.state.append(msg("user", "hi"));
    await saveCommand.run(ctx, []);
    const id = ctx.state.activeSessionId!;
    ctx.state.reset();
    ctx.state.setTarget({ provider: "ollama", model: "x", baseUrl: undefined });
    const { resumeSession } = await import("../resume-session.js");
    await resumeSession(ctx, id);
    expect(ctx.state.target).toEqual({ provider: "openai-compatible", model: "local-coder", baseUrl: "http://127.0.0.1:8080/v1" });
  });
});

describe("/save on the Python Victor's database", () => {
  const PYTHON_DB = fileURLToPath(new URL("../../../../../packages/migrate/test/fixtures/python-victor/conversation-store-head.db", import.meta.url));

  it("says not yet and keeps the conversation (also when asked on the way out); works once victor-migrate has run", async () => {
    ctx = fakeContext({ interactive: true, inputs: ["s"] });
    mkdirSync(dirname(ctx.dbPath));
    copyFileSync(PYTHON_DB, ctx.dbPath);
    ctx.state.append(msg("user", "remember the checklist"));
    await saveCommand.run(ctx, ["Checklist"]);
    expect(ctx.errors.at(-1)).toMatch(/^Not saved yet: .*project\.db is still the Python Victor's database\. Run victor-migrate .*then \/save again/);
    expect(await settleUnsaved(ctx, "leaving", null)).toBe(false);
    expect(ctx.errors.at(-1)).toMatch(/^Not saved yet: /);
    expect(ctx.state.hasUnsavedMessages).toBe(true);

    await migrateLegacySessions({ cwd: ctx.cwd, env: ctx.env, timeZone: "UTC" });
    await saveCommand.run(ctx, ["Checklist"]);
    expect(ctx.text).toMatch(/Session Saved[\s\S]*Title:\s+Checklist/);
    const saved = await (await ctx.store()).getSession(ctx.state.activeSessionId!);
    expect(saved.conversation.messages.map((m) => m.content)).toEqual(["remember the checklist"]);
  });
});

import { openSessionStore } from "@victor/core";
import { cpSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createServer } from "node:net";
import { runCli } from "../in-process.js";
import { chatRig, LEGACY_SAMPLES, lastConversation, type ChatRig } from "./harness.js";

/** A port nothing listens on (bound, then released). */
const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

let rig: ChatRig;
beforeEach(async () => (rig = await chatRig()));
afterEach(() => rig.cleanup());

const errorLines = (stderr: string): string[] => stderr.split("\n").filter((l) => l.startsWith("Error:"));

describe("victor chat failures", () => {
  it("a 500 and a stream cut: one clear error line each offering /retry; the REPL goes on; a piped chat then exits 1", async () => {
    rig.anthropic.script({ status: 500, message: "overloaded" }, { text: "This reply will be cut off halfway", cutAfterChunks: 1 }, { text: "All good" }, { text: "Fine" });
    const run = await rig.chat(["first", "second", "/retry", "third", "/status"]);
    expect(run.code).toBe(1);
    const errors = errorLines(run.stderr);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/anthropic server error \(HTTP 500\) at http:\/\/127\.0\.0\.1:\d+\/v1: overloaded\. Your message was set aside: \/retry sends it again\./);
    expect(errors[1]).toMatch(/cut off mid-stream.*The partial reply was not kept\. Your message was set aside: \/retry/);
    expect(run.stdout).toContain("All good");
    // Only complete exchanges are in the conversation: never two user turns in a row, never half a reply.
    expect(lastConversation(rig.anthropic)).toEqual([
      ["user", "second"],
      ["assistant", "All good"],
      ["user", "third"],
    ]);
    expect(run.stdout).toMatch(/Messages:\s+4/);
  });

  it("a missing key and an unreachable server are one clear line; slash commands still work", async () => {
    const closedPort = await freePort();
    const run = await runCli(["chat", "--provider", "openai", "--model", "gpt-4"], {
      cwd: rig.project.join("work"),
      env: { HOME: rig.home, OLLAMA_HOST: `127.0.0.1:${closedPort}` },
      input: "hello\n/switch ollama:qwen2.5-coder:7b\nhi again\n/status\n",
    });
    const errors = errorLines(run.stderr);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/OPENAI_API_KEY is not set/);
    expect(errors[1]).toMatch(new RegExp(`Cannot reach ollama at http://127\\.0\\.0\\.1:${closedPort}/v1`));
    // Neither message got a reply: both were set aside, the conversation holds no unanswered question.
    expect(run.stdout).toMatch(/Messages:\s+0/);
    expect(run.code).toBe(1);
  });
});

describe("victor chat slash commands end to end", () => {
  it("/load of a legacy sample, then /save stores it in SQLite and leaves the file byte-identical", async () => {
    cpSync(join(LEGACY_SAMPLES, "project", ".victor"), rig.project.join("work", ".victor"), { recursive: true });
    const file = rig.project.join("work", ".victor", "sessions", "20251215_145334.json");
    const before = readFileSync(file);
    const run = await rig.chat(["/load 20251215_145334", "/save", "/switch openai:gpt-4o", "continue", "/switch anthropic:claude-x", "and again", "/load empty"]);
    expect(run.stdout).toMatch(/Legacy Session Loaded[\s\S]*Session Saved[\s\S]*Action:\s+created[\s\S]*ID:\s+20251215_145334/);
    expect(run.stderr).toMatch(/Error: Cannot load .*empty\.json: empty file/);
    expect(readFileSync(file).equals(before)).toBe(true);
    // The resumed history, tool calls included, was sent in each provider's own shape and accepted.
    const openaiMessages = rig.openai.requests[0]!.body.messages ?? [];
    expect(openaiMessages.some((m) => m.role === "assistant" && m.tool_calls?.[0]?.function?.name === "read")).toBe(true);
    expect(openaiMessages.some((m) => m.role === "tool" && m.tool_call_id)).toBe(true);
    const anthropicBody = rig.anthropic.requests[0]!.body;
    expect(JSON.stringify(anthropicBody.messages)).toContain('"type":"tool_use"');
    expect(JSON.stringify(anthropicBody.messages)).toContain('"type":"tool_result"');
    expect(run.stdout).toContain("Reply 1 from anthropic");
    const store = await openSessionStore({ dbPath: rig.project.join("work", ".victor", "project.db") });
    const session = await store.getSession("20251215_145334");
    await store.close();
    expect(session.metadata.title).toBe("Refactoring Authentication");
    expect(session.conversation.messages).toHaveLength(15);
    expect([session.metadata.provider, session.metadata.model]).toEqual(["ollama", "qwen2.5-coder:7b"]);
  });

  it("prints the unmigrated-legacy hint naming the count and victor-migrate", async () => {
    cpSync(join(LEGACY_SAMPLES, "home", ".victor"), join(rig.home, ".victor"), { recursive: true });
    const count = readdirSync(join(rig.home, ".victor", "sessions")).filter((n) => n.endsWith(".json")).length;
    const run = await rig.chat(["/exit"]);
    expect(run.stderr).toContain(`Found ${count} legacy JSON sessions not yet in the database: run \`victor-migrate\``);
    const none = await runCli(["chat"], { cwd: rig.project.join("work"), env: { HOME: rig.project.join("work") }, input: "/exit\n" });
    expect(none.stderr).not.toContain("legacy JSON");
  });

  it("every other command works through a pipe, without any model", async () => {
    const run = await rig.chat([
      "/sessions",
      "hello there",
      '/save "First one"',
      "/history 5",
      "/search hello",
      "/rename 'Renamed title'",
      "/status",
      "/export transcript.md",
      "/resume",
      "1",
      "/clear",
      "/model",
      "/help",
      "/nonsense",
      '/save "unterminated',
      "/quit",
      "never processed",
    ]);
    // Two commands failed (/nonsense, the bad quote): a script is told so by the exit status.
    expect(run.code).toBe(1);
    const out = run.stdout;
    expect(out).toContain("No saved sessions found");
    expect(out).toMatch(/ID\s.*Title\s.*Model\s.*Provider\s.*Messages\s.*Updated/);
    expect(out).toMatch(/First one/);
    expect(out).toMatch(/Renamed session \S+ to "Renamed title"/);
    expect(out).toMatch(/Unsaved:\s+no/);
    expect(readFileSync(rig.project.join("work", "transcript.md"), "utf8")).toContain("## User\n\nhello there");
    expect(out).toMatch(/1\. \S+\s+Renamed title[\s\S]*Session number to resume[\s\S]*Session Resumed/);
    expect(out).toContain("Started a new conversation.");
    expect(out).toContain("Current model: anthropic:claude-sonnet-4-20250514");
    expect(out).toContain("/compact [--smart] [--keep N]");
    expect(run.stderr).toContain("Error: Unknown command /nonsense. Type /help for the list.");
    expect(run.stderr).toMatch(/Error: Unterminated double quote/);
    expect(out).not.toContain("never processed");
    expect(rig.anthropic.requests).toHaveLength(1);
  });

  it("--autosave (or VICTOR_AUTOSAVE=1) saves after every reply; leaving has nothing to warn about", async () => {
    const run = await rig.chat(["first question", "second question"], ["--autosave"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\(autosaved \d{8}_\d{6}\)[\s\S]*\(autosaved \d{8}_\d{6}\)/);
    expect(run.stderr).not.toMatch(/unsaved/);
    const store = await openSessionStore({ dbPath: rig.dbPath });
    const [saved] = await store.listSessions();
    expect((await store.getSession(saved!.id)).conversation.messages.map((m) => m.content)).toEqual(["first question", "Reply 1 from anthropic", "second question", "Reply 2 from anthropic"]);
    await store.close();
    const viaEnv = await runCli(["chat"], { cwd: rig.cwd, env: { ...rig.env, VICTOR_AUTOSAVE: "1" }, input: "third\n" });
    expect(viaEnv.stdout).toContain("(autosaved");
  });

  it("a resumed history with system notes mid-conversation goes to the model as it is, with no SDK warning on the terminal", async () => {
    const store = await openSessionStore({ dbPath: rig.dbPath });
    const messages = [
      { role: "user", content: "fix the build" },
      { role: "system", content: "Note: the workspace changed" },
      { role: "assistant", content: "done" },
    ];
    const { sessionId } = await store.saveSession({ conversation: { messages }, model: "gpt-4o", provider: "openai" });
    await store.close();
    const run = await rig.chatBin(["/exit"], ["and now?", "--resume", sessionId]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/AI SDK|System messages/);
    const sent = rig.openai.requests.at(-1)!.body as { messages: { role: string; content: unknown }[] };
    expect(sent.messages.map((m) => m.role)).toEqual(["user", "system", "assistant", "user"]);
  });

  it("--resume without an id starts from the most recent session; [message] is sent first", async () => {
    await rig.chat(["older", "/save"]);
    await rig.chat(["newest", "/save"]);
    const run = await rig.chat(["/exit"], ["follow up", "--resume"]);
    expect(run.stdout).toContain("Session Resumed");
    expect(lastConversation(rig.anthropic).map(([, c]) => c)).toEqual(["newest", "Reply 2 from anthropic", "follow up"]);
    const missing = await rig.chat([], ["--resume", "nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Session not found: nope");
  });
});

import type { Message } from "@victor/core";
import fc from "fast-check";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Tool } from "../src/index.js";
import { PROJECT, cleanup, openStore, runImport, tempDir, toolPairsIntact } from "./helpers.js";

afterAll(cleanup);

/** A conversation in the tools' common terms: turns of a question, a reply, its tool calls and their results. */
interface Call {
  name: string;
  args: Record<string, string>;
  result: string;
}
interface Turn {
  user: string;
  reply: string;
  calls: Call[];
  after: string;
  /** Claude Code: stream the reply as one line per block (one message.id). */
  split: boolean;
}

// Text of any kind: unicode, quotes, newlines, lone surrogates (JSON escapes them; the store keeps them).
const text = fc.oneof(fc.string({ unit: "grapheme", maxLength: 30 }), fc.string({ unit: "binary", maxLength: 12 }));
const call = fc.record({ name: fc.constantFrom("Read", "Bash", "exec_command", "apply_patch"), args: fc.dictionary(fc.constantFrom("path", "cmd", "q"), text, { maxKeys: 2 }), result: text });
const turn = fc.record({ user: text, reply: text, calls: fc.array(call, { maxLength: 3 }), after: fc.string({ minLength: 1, maxLength: 20 }), split: fc.boolean() });
const conversation = fc.array(turn, { minLength: 1, maxLength: 4 });

/** What `show --json` must print for it: role, text, tool calls, the call each result answers. */
function expected(turns: readonly Turn[]): unknown[] {
  const out: unknown[] = [];
  turns.forEach((t, i) => {
    out.push({ role: "user", content: t.user, calls: null, answers: null });
    out.push({ role: "assistant", content: t.reply, calls: t.calls.map((c, k) => [`call_${i}_${k}`, c.name, c.args]), answers: null });
    t.calls.forEach((c, k) => out.push({ role: "tool", content: c.result, calls: null, answers: `call_${i}_${k}` }));
    out.push({ role: "assistant", content: t.after, calls: [], answers: null });
  });
  return out;
}

function view(messages: readonly Message[]): unknown[] {
  return messages.map((m) => ({
    role: m.role,
    content: m.content,
    calls: Array.isArray(m.tool_calls) && m.tool_calls.length > 0 ? (m.tool_calls as { id: string; function: { name: string; arguments: string } }[]).map((c) => [c.id, c.function.name, JSON.parse(c.function.arguments)]) : m.role === "assistant" ? [] : null,
    answers: m.tool_call_id ?? null,
  }));
}

/** The source file lines of each tool for a conversation (session id `sid`). */
function claudeLines(sid: string, turns: readonly Turn[]): string[] {
  const lines: unknown[] = [];
  let parent: string | null = null;
  let n = 0;
  const push = (type: string, message: unknown, extra: Record<string, unknown> = {}) => {
    const uuid = `${sid}-${n++}`;
    lines.push({ parentUuid: parent, isSidechain: false, type, message, uuid, sessionId: sid, cwd: PROJECT, timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(), ...extra });
    parent = uuid;
  };
  turns.forEach((t, i) => {
    push("user", { role: "user", content: i % 2 === 0 ? t.user : [{ type: "text", text: t.user }] });
    const blocks = [{ type: "text", text: t.reply }, ...t.calls.map((c, k) => ({ type: "tool_use", id: `call_${i}_${k}`, name: c.name, input: c.args }))];
    const reply = (content: unknown[]) => ({ id: `msg_${sid}_${i}`, role: "assistant", model: "claude-opus-4-5", content });
    if (t.split) for (const block of blocks) push("assistant", reply([block]));
    else push("assistant", reply(blocks));
    lines.push({ type: "file-history-snapshot", messageId: `${sid}-${n}`, snapshot: {} });
    if (t.calls.length > 0) push("user", { role: "user", content: t.calls.map((c, k) => ({ type: "tool_result", tool_use_id: `call_${i}_${k}`, content: c.result })) });
    push("assistant", { id: `msg_${sid}_${i}_after`, role: "assistant", content: [{ type: "text", text: t.after }] });
  });
  return lines.map((l) => JSON.stringify(l));
}

function codexLines(sid: string, turns: readonly Turn[]): string[] {
  const ts = "2026-01-01T00:00:00.000Z";
  const item = (payload: unknown) => ({ timestamp: ts, type: "response_item", payload });
  const lines: unknown[] = [{ timestamp: ts, type: "session_meta", payload: { id: sid, timestamp: ts, cwd: PROJECT, originator: "codex-tui", cli_version: "0.130.0" } }, { timestamp: ts, type: "turn_context", payload: { cwd: PROJECT, model: "gpt-5.5" } }];
  turns.forEach((t, i) => {
    lines.push(item({ type: "message", role: "user", content: [{ type: "input_text", text: t.user }] }));
    lines.push({ timestamp: ts, type: "event_msg", payload: { type: "user_message", message: t.user } });
    lines.push(item({ type: "message", role: "assistant", content: [{ type: "output_text", text: t.reply }] }));
    lines.push(item({ type: "reasoning", summary: [], encrypted_content: "gAAA" }));
    t.calls.forEach((c, k) => lines.push(item({ type: "function_call", name: c.name, arguments: JSON.stringify(c.args), call_id: `call_${i}_${k}` })));
    t.calls.forEach((c, k) => lines.push(item({ type: "function_call_output", call_id: `call_${i}_${k}`, output: c.result })));
    lines.push(item({ type: "message", role: "assistant", content: [{ type: "output_text", text: t.after }] }));
  });
  return lines.map((l) => JSON.stringify(l));
}

function geminiLines(sid: string, turns: readonly Turn[]): string[] {
  const ts = "2026-01-01T00:00:00.000Z";
  const lines: unknown[] = [{ sessionId: sid, projectHash: "h", startTime: ts, lastUpdated: ts }];
  turns.forEach((t, i) => {
    lines.push({ id: `u${i}`, timestamp: ts, type: "user", content: [{ text: t.user }] });
    const reply = { id: `g${i}`, timestamp: ts, type: "gemini", content: [{ text: t.reply }], model: "gemini-2.5-pro" };
    lines.push(reply);
    const toolCalls = t.calls.map((c, k) => ({ id: `call_${i}_${k}`, name: c.name, args: c.args, status: "success", timestamp: ts, result: [{ functionResponse: { id: `call_${i}_${k}`, name: c.name, response: { output: c.result } } }] }));
    if (toolCalls.length > 0) lines.push({ ...reply, toolCalls });
    lines.push({ $set: { lastUpdated: ts } });
    lines.push({ id: `a${i}`, timestamp: ts, type: "gemini", content: t.after, model: "gemini-2.5-pro" });
  });
  return lines.map((l) => JSON.stringify(l));
}

const WRITERS: Record<Tool, { lines: (sid: string, turns: readonly Turn[]) => string[]; path: (dir: string, sid: string) => string; id: (sid: string) => string }> = {
  claude: { lines: claudeLines, path: (dir, sid) => join(dir, "-home-dev-demo-app", `${sid}.jsonl`), id: (sid) => `claude-${sid}` },
  codex: { lines: codexLines, path: (dir, sid) => join(dir, "sessions", "2026", "01", "01", `rollout-2026-01-01T00-00-00-${sid}.jsonl`), id: (sid) => `codex-${sid}` },
  gemini: { lines: geminiLines, path: (dir, sid) => join(dir, "demo-app", "chats", `session-${sid}.jsonl`), id: (sid) => `gemini-${sid}` },
};

describe.each(Object.keys(WRITERS) as Tool[])("property: %s import → show --json", (tool) => {
  const w = WRITERS[tool];
  let counter = 0;

  it("gives the source's messages in order, with every tool call answered by its result", async () => {
    const dbPath = tempDir().join("p.db");
    const store = await openStore(dbPath);
    await fc.assert(
      fc.asyncProperty(conversation, async (turns) => {
        const sid = `${tool}-${counter++}-0000-4000-8000-000000000000`;
        const dir = tempDir().path;
        const path = w.path(dir, sid);
        mkdirSync(join(path, ".."), { recursive: true });
        if (tool === "gemini") writeFileSync(join(dir, "demo-app", ".project_root"), PROJECT);
        writeFileSync(path, `${w.lines(sid, turns).join("\n")}\n`);
        await runImport(dbPath, { tools: [tool], sources: [dir] });
        const messages = (await store.getSession(w.id(sid))).conversation.messages;
        expect(view(messages)).toEqual(expected(turns));
        expect(toolPairsIntact(messages)).toBe(true);
      }),
      { numRuns: 15 },
    );
  });

  it("imported in two runs (the file grew in between) gives what one run gives", async () => {
    const incremental = tempDir().join("inc.db");
    const once = tempDir().join("once.db");
    await fc.assert(
      fc.asyncProperty(conversation, fc.nat(), async (turns, cut) => {
        const sid = `${tool}-${counter++}-0000-4000-8000-000000000000`;
        const dir = tempDir().path;
        const path = w.path(dir, sid);
        mkdirSync(join(path, ".."), { recursive: true });
        if (tool === "gemini") writeFileSync(join(dir, "demo-app", ".project_root"), PROJECT);
        const lines = w.lines(sid, turns);
        const head = 1 + (cut % lines.length);
        writeFileSync(path, `${lines.slice(0, head).join("\n")}\n`);
        await runImport(incremental, { tools: [tool], sources: [dir] });
        writeFileSync(path, `${lines.join("\n")}\n`);
        const second = await runImport(incremental, { tools: [tool], sources: [dir] });
        expect(second.counts.failed + second.counts.conflict).toBe(0);
        await runImport(once, { tools: [tool], sources: [dir] });
        const [a, b] = await Promise.all([openStore(incremental), openStore(once)]);
        expect((await a.getSession(w.id(sid))).conversation.messages).toEqual((await b.getSession(w.id(sid))).conversation.messages);
        await Promise.all([a.close(), b.close()]);
      }),
      { numRuns: 10 },
    );
  });
});

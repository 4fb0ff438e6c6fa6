import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Tool } from "../src/index.js";
import { CLAUDE, CODEX, GEMINI, cleanup, copyFixtures, openStore, rows, runImport, session, tempDir } from "./helpers.js";

afterEach(cleanup);

const line = (value: unknown): string => `${JSON.stringify(value)}\n`;
const CLAUDE_FILE = "-home-dev-demo-app/a1b2c3d4-0000-4000-8000-000000000002.jsonl";
const CLAUDE_ID = "claude-a1b2c3d4-0000-4000-8000-000000000002";
const CODEX_FILE = "sessions/2026/05/05/rollout-2026-05-05T18-28-34-019df7ae-b036-76c2-a499-fe10385d955a.jsonl";
const CODEX_ID = "codex-019df7ae-b036-76c2-a499-fe10385d955a";
const GEMINI_FILE = "demo-app/chats/session-2026-01-05T10-00-8f3a1c52.jsonl";
const GEMINI_ID = "gemini-8f3a1c52-7d4e-4b1a-9c0e-5d6f7a8b9c01";

function claudeLine(uuid: string, parent: string, type: "user" | "assistant", content: unknown, extra: Record<string, unknown> = {}): string {
  const message = type === "user" ? { role: "user", content } : { id: `msg_${uuid}`, type: "message", role: "assistant", model: "claude-opus-4-5-20251101", content, stop_reason: "end_turn" };
  return line({ parentUuid: parent, isSidechain: false, userType: "external", cwd: "/home/dev/demo-app", sessionId: "a1b2c3d4-0000-4000-8000-000000000002", version: "2.1.21", type, message, uuid, timestamp: "2025-11-20T09:00:00.000Z", ...extra });
}

/** The same file imported in one go into a fresh database: what every re-run must arrive at. */
async function oneShot(tool: Tool, source: string, id: string) {
  const dbPath = tempDir().join("fresh.db");
  await runImport(dbPath, { tools: [tool], sources: [source] });
  return (await session(dbPath, id)).conversation.messages;
}

/** Every file under a folder: its bytes' hash and its modification time. */
function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    const info = statSync(path);
    if (info.isFile()) out[name] = `${createHash("sha256").update(readFileSync(path)).digest("hex")} ${info.mtimeMs}`;
  }
  return out;
}

describe("re-running victor import", () => {
  it("only reads the source files: their bytes and modification times stay as they were", async () => {
    const dbPath = tempDir().join("p.db");
    const before = [CLAUDE, CODEX, GEMINI].map(fingerprint);
    await runImport(dbPath, { tools: ["claude"], sources: [CLAUDE], allProjects: true });
    await runImport(dbPath, { tools: ["codex"], sources: [CODEX], allProjects: true });
    await runImport(dbPath, { tools: ["gemini"], sources: [GEMINI], allProjects: true });
    expect([CLAUDE, CODEX, GEMINI].map(fingerprint)).toEqual(before);
  });

  it("changes nothing when no file changed: every file unchanged, no revision bumped", async () => {
    const dbPath = tempDir().join("p.db");
    const first = await runImport(dbPath, { tools: ["claude"], sources: [CLAUDE] });
    expect(first.counts.imported).toBe(9);
    const store = await openStore(dbPath);
    const before = await store.listSessions({ limit: -1 });
    const second = await runImport(dbPath, { tools: ["claude"], sources: [CLAUDE] });
    expect(second.counts).toMatchObject({ imported: 0, updated: 0, unchanged: 9, failed: 0, ignored: 2 });
    expect(second.messagesSent).toBe(0);
    expect(await store.listSessions({ limit: -1 })).toEqual(before);
  });

  it("Claude Code: a grown transcript brings in only its new part (older rows are not rewritten)", async () => {
    const source = copyFixtures(CLAUDE);
    const dbPath = tempDir().join("p.db");
    await runImport(dbPath, { tools: ["claude"], sources: [source] });
    const before = rows(dbPath, CLAUDE_ID);
    appendFileSync(join(source, CLAUDE_FILE), claudeLine("n1", "sys1", "user", "Now add a test for the limit") + claudeLine("n2", "n1", "assistant", [{ type: "text", text: "Added a 21 MB upload test." }]));
    const report = await runImport(dbPath, { tools: ["claude"], sources: [source] });
    expect(report.counts).toMatchObject({ updated: 1, unchanged: 8 });
    // The last message is sent again (the lines after it are kept with it), then the two new ones.
    expect(report.sessions[0]).toMatchObject({ sessionId: CLAUDE_ID, messages: before.length + 2, sent: 3 });
    const after = rows(dbPath, CLAUDE_ID);
    expect(after.slice(0, before.length).map((r) => r.id)).toEqual(before.map((r) => r.id));
    expect((await session(dbPath, CLAUDE_ID)).conversation.messages).toEqual(await oneShot("claude", source, CLAUDE_ID));
  });

  it("Claude Code: a rewind appended later (a new branch from an earlier message) rewrites from the branch point", async () => {
    const source = copyFixtures(CLAUDE);
    const dbPath = tempDir().join("p.db");
    await runImport(dbPath, { tools: ["claude"], sources: [source] });
    const before = rows(dbPath, CLAUDE_ID);
    // An edited prompt: a new child of m8 (the second tool result), abandoning m9 … m12.
    appendFileSync(join(source, CLAUDE_FILE), claudeLine("r1", "m8", "user", "Actually, raise it to 50m") + claudeLine("r2", "r1", "assistant", [{ type: "text", text: "Raised to 50m." }]));
    const report = await runImport(dbPath, { tools: ["claude"], sources: [source] });
    expect(report.counts.updated).toBe(1);
    const messages = (await session(dbPath, CLAUDE_ID)).conversation.messages;
    expect(messages.map((m) => m.content).slice(-2)).toEqual(["Actually, raise it to 50m", "Raised to 50m."]);
    expect(messages).toEqual(await oneShot("claude", source, CLAUDE_ID));
    const after = rows(dbPath, CLAUDE_ID);
    expect(after.slice(0, 4).map((r) => r.id)).toEqual(before.slice(0, 4).map((r) => r.id));
  });

  it("Codex: new lines that continue the last reply's tool calls land in the same message", async () => {
    const source = copyFixtures(CODEX);
    const dbPath = tempDir().join("p.db");
    await runImport(dbPath, { tools: ["codex"], sources: [source] });
    const before = rows(dbPath, CODEX_ID);
    const item = (payload: unknown) => line({ timestamp: "2026-05-05T11:00:00.000Z", type: "response_item", payload });
    appendFileSync(
      join(source, CODEX_FILE),
      item({ type: "function_call", name: "exec_command", arguments: '{"cmd":"pytest -q"}', call_id: "call_new" }) +
        line({ timestamp: "2026-05-05T11:00:01.000Z", type: "event_msg", payload: { type: "token_count", info: null } }) +
        item({ type: "function_call_output", call_id: "call_new", output: "3 passed" }) +
        item({ type: "message", role: "assistant", content: [{ type: "output_text", text: "All three pass." }] }),
    );
    const report = await runImport(dbPath, { tools: ["codex"], sources: [source] });
    expect(report.counts.updated).toBe(1);
    const messages = (await session(dbPath, CODEX_ID)).conversation.messages;
    expect(messages).toEqual(await oneShot("codex", source, CODEX_ID));
    expect(messages.length).toBe(before.length + 2);
    expect((messages[before.length - 1]!.tool_calls as { id: string }[]).map((c) => c.id)).toEqual(["call_new"]);
    expect(rows(dbPath, CODEX_ID).slice(0, before.length - 1).map((r) => r.id)).toEqual(before.slice(0, -1).map((r) => r.id));
  });

  it("Codex: a rollback appended later that reaches back before the old end takes the rolled-back turns out again", async () => {
    const source = copyFixtures(CODEX);
    const dbPath = tempDir().join("p.db");
    await runImport(dbPath, { tools: ["codex"], sources: [source] });
    const at = "2026-05-05T11:00:00.000Z";
    appendFileSync(
      join(source, CODEX_FILE),
      line({ timestamp: at, type: "event_msg", payload: { type: "thread_rolled_back", num_turns: 1 } }) +
        line({ timestamp: at, type: "response_item", payload: { type: "message", role: "user", content: [{ type: "input_text", text: "Add a test for the cursor instead" }] } }),
    );
    const report = await runImport(dbPath, { tools: ["codex"], sources: [source] });
    expect(report.counts.updated).toBe(1);
    const messages = (await session(dbPath, CODEX_ID)).conversation.messages;
    expect(messages).toEqual(await oneShot("codex", source, CODEX_ID));
    // The last turn ("Add a test for it" and its reply) was rolled back; the new request follows the compaction summary.
    expect(messages.slice(-2).map((m) => m.content)).toEqual(["Summary: the export job ran an N+1 query; it now runs one ordered query.", "Add a test for the cursor instead"]);
  });

  it("gemini-cli: a record re-appended under an old id updates that message in place", async () => {
    const source = copyFixtures(GEMINI);
    const dbPath = tempDir().join("p.db");
    await runImport(dbPath, { tools: ["gemini"], sources: [source] });
    const before = rows(dbPath, GEMINI_ID);
    appendFileSync(
      join(source, GEMINI_FILE),
      line({ id: "g-0007", timestamp: "2026-01-05T10:03:09.000Z", type: "gemini", content: [{ text: "Done: one query ordered by user_id (edited)." }], model: "gemini-2.5-flash" }) +
        line({ id: "u-0009", timestamp: "2026-01-05T10:05:00.000Z", type: "user", content: [{ text: "Thanks" }] }),
    );
    const report = await runImport(dbPath, { tools: ["gemini"], sources: [source] });
    expect(report.counts.updated).toBe(1);
    const messages = (await session(dbPath, GEMINI_ID)).conversation.messages;
    expect(messages).toEqual(await oneShot("gemini", source, GEMINI_ID));
    expect(messages.map((m) => m.content).slice(-2)).toEqual(["Done: one query ordered by user_id (edited).", "Thanks"]);
    // Earlier rows stay as they were; the message's old version stays too, outside the context.
    const after = rows(dbPath, GEMINI_ID);
    expect(after.slice(0, before.length).map((r) => r.id)).toEqual(before.map((r) => r.id));
    expect(after.filter((r) => r.context_epoch !== null).map((r) => r.id)).toEqual([before.at(-1)!.id]);
  });

  it("a torn last line is left for the next run, which imports it once the tool finished writing it", async () => {
    const source = copyFixtures(CLAUDE);
    const dbPath = tempDir().join("p.db");
    const file = join(source, "-home-dev-demo-app/a1b2c3d4-0000-4000-8000-000000000004.jsonl");
    const first = await runImport(dbPath, { tools: ["claude"], sources: [source] });
    const id = "claude-a1b2c3d4-0000-4000-8000-000000000004";
    expect(first.notes).toContainEqual({ path: file, note: "the last line is incomplete (still being written): left for the next run" });
    expect(first.issues).toEqual([{ path: file, line: 2, reason: expect.stringMatching(/^not JSON/) }]);
    expect((await session(dbPath, id)).conversation.messages).toHaveLength(2);
    // Nothing new while the line stays incomplete.
    expect((await runImport(dbPath, { tools: ["claude"], sources: [source] })).counts.updated).toBe(0);
    const text = readFileSync(file, "utf8");
    const torn = text.slice(text.lastIndexOf("\n") + 1);
    const whole = JSON.stringify({ parentUuid: "t2", isSidechain: false, userType: "external", cwd: "/home/dev/demo-app", sessionId: "a1b2c3d4-0000-4000-8000-000000000004", version: "2.1.20", gitBranch: "main", type: "user", message: { role: "user", content: "And the error rate?" }, uuid: "t3", timestamp: "2026-02-01T08:01:00.000Z" });
    expect(whole.startsWith(torn)).toBe(true);
    appendFileSync(file, `${whole.slice(torn.length)}\n`);
    const third = await runImport(dbPath, { tools: ["claude"], sources: [source] });
    expect(third.counts.updated).toBe(1);
    expect((await session(dbPath, id)).conversation.messages.map((m) => m.content)).toEqual(["Tail the deploy log", "Tailing it now.", "And the error rate?"]);
  });

  it("a rewritten file (its start changed) updates the session as a whole", async () => {
    const source = copyFixtures(CODEX);
    const dbPath = tempDir().join("p.db");
    await runImport(dbPath, { tools: ["codex"], sources: [source] });
    const file = join(source, CODEX_FILE);
    // Same length, different bytes at the start: caught by the hash, not the size.
    writeFileSync(file, readFileSync(file, "utf8").replace("Why is the nightly export job slow?", "Why is the nightly import job slow?"));
    const report = await runImport(dbPath, { tools: ["codex"], sources: [source] });
    expect(report.counts.updated).toBe(1);
    const messages = (await session(dbPath, CODEX_ID)).conversation.messages;
    expect(messages.some((m) => m.content === "Why is the nightly import job slow?")).toBe(true);
    expect(messages).toEqual(await oneShot("codex", source, CODEX_ID));
  });

  it("a file whose start changed while it also grew is read again in full", async () => {
    const source = copyFixtures(CODEX);
    const dbPath = tempDir().join("p.db");
    await runImport(dbPath, { tools: ["codex"], sources: [source] });
    const file = join(source, CODEX_FILE);
    writeFileSync(file, readFileSync(file, "utf8").replace("I'll look at the job", "I will look at the job") + line({ timestamp: "2026-05-05T12:00:00.000Z", type: "response_item", payload: { type: "message", role: "user", content: [{ type: "input_text", text: "One more thing" }] } }));
    const report = await runImport(dbPath, { tools: ["codex"], sources: [source] });
    expect(report.counts.updated).toBe(1);
    expect((await session(dbPath, CODEX_ID)).conversation.messages).toEqual(await oneShot("codex", source, CODEX_ID));
  });

  it("a session changed in Victor since its import is never overwritten: the file's version comes in beside it", async () => {
    const source = copyFixtures(CLAUDE);
    const dbPath = tempDir().join("p.db");
    await runImport(dbPath, { tools: ["claude"], sources: [source] });
    const store = await openStore(dbPath);
    const saved = await store.getSession(CLAUDE_ID);
    // The user resumed it in `victor chat` and saved a new exchange.
    const mine = [...saved.conversation.messages, { role: "user", content: "continued in Victor" }];
    await store.saveSession({ sessionId: CLAUDE_ID, conversation: { ...saved.conversation, messages: mine }, model: "gpt-5", provider: "openai" });
    appendFileSync(join(source, CLAUDE_FILE), claudeLine("n1", "sys1", "user", "Meanwhile, in Claude Code"));
    const report = await runImport(dbPath, { tools: ["claude"], sources: [source] });
    expect(report.counts.conflict).toBe(1);
    expect(report.conflicts).toEqual([{ path: join(source, CLAUDE_FILE), sessionId: `${CLAUDE_ID}_2`, reason: expect.stringContaining("was changed in Victor since it was imported") }]);
    expect((await store.getSession(CLAUDE_ID)).conversation.messages.at(-1)).toMatchObject({ content: "continued in Victor" });
    const beside = await store.getSession(`${CLAUDE_ID}_2`);
    expect(beside.metadata.parent_id).toBe(CLAUDE_ID);
    expect(beside.conversation.messages.at(-1)).toMatchObject({ content: "Meanwhile, in Claude Code" });
    // From now on the file feeds the new session.
    appendFileSync(join(source, CLAUDE_FILE), claudeLine("n2", "n1", "assistant", [{ type: "text", text: "Noted." }]));
    const next = await runImport(dbPath, { tools: ["claude"], sources: [source] });
    expect(next.sessions).toEqual([expect.objectContaining({ sessionId: `${CLAUDE_ID}_2`, outcome: "updated" })]);
    expect((await store.getSession(CLAUDE_ID)).conversation.messages).toEqual(mine);
  });

  it("a long file that grew, whose session was saved in Victor meanwhile: read again whole and brought in beside it", async () => {
    const source = tempDir().join("codex");
    const folder = join(source, "sessions", "2026", "02", "03");
    mkdirSync(folder, { recursive: true });
    const id = "019e3000-0000-7000-8000-000000000001";
    const path = join(folder, `rollout-2026-02-03T10-00-00-${id}.jsonl`);
    const ts = "2026-02-03T10:00:00.000Z";
    const item = (payload: unknown) => line({ timestamp: ts, type: "response_item", payload });
    writeFileSync(path, line({ timestamp: ts, type: "session_meta", payload: { id, timestamp: ts, cwd: "/home/dev/demo-app" } }) + item({ type: "message", role: "user", content: [{ type: "input_text", text: "start" }] }));
    const dbPath = tempDir().join("p.db");
    await runImport(dbPath, { tools: ["codex"], sources: [source] });
    const store = await openStore(dbPath);
    const saved = await store.getSession(`codex-${id}`);
    const mine = [...saved.conversation.messages, { role: "assistant", content: "answered in Victor" }];
    await store.saveSession({ sessionId: `codex-${id}`, conversation: { ...saved.conversation, messages: mine }, model: "gpt-5", provider: "openai" });
    // Three 1 MB outputs: more than one part, so the first new part already finds the session moved on.
    for (let i = 0; i < 3; i++) {
      appendFileSync(path, item({ type: "function_call", name: "exec_command", arguments: `{"cmd":"cat ${i}"}`, call_id: `c${i}` }) + item({ type: "function_call_output", call_id: `c${i}`, output: "x".repeat(1024 * 1024) }));
    }
    const report = await runImport(dbPath, { tools: ["codex"], sources: [source] });
    expect(report.conflicts).toEqual([{ path, sessionId: `codex-${id}_2`, reason: expect.stringContaining("was changed in Victor since it was imported") }]);
    expect((await store.getSession(`codex-${id}`)).conversation.messages).toEqual(mine);
    expect((await store.getSession(`codex-${id}_2`)).conversation.messages).toEqual(await oneShot("codex", source, `codex-${id}`));
    expect(await store.ledger.get(path)).toMatchObject({ sessionId: `codex-${id}_2`, size: statSync(path).size });
  });

  it("an import interrupted part way whose session was then saved in Victor: the next run brings the file in beside it", async () => {
    const source = copyFixtures(CLAUDE);
    const dbPath = tempDir().join("p.db");
    const path = join(source, CLAUDE_FILE);
    const store = await openStore(dbPath);
    // What a run killed after the first part of a long file leaves: that part, and a "partial" ledger row.
    const firstPart = [{ role: "user", content: "the first part" }];
    await store.importSessions([
      {
        input: { sessionId: CLAUDE_ID, conversation: { messages: firstPart }, model: "claude-opus-4-5-20251101", provider: "anthropic", keepMessages: 0, metadataExtra: { imported_from: { tool: "claude", file: path } } },
        onConflict: "rename",
        source: { key: path, size: 0, sha256: "", partial: true },
      },
    ]);
    const mine = [...firstPart, { role: "assistant", content: "continued in Victor" }];
    await store.saveSession({ sessionId: CLAUDE_ID, conversation: { messages: mine }, model: "gpt-5", provider: "openai" });
    const report = await runImport(dbPath, { tools: ["claude"], sources: [source] });
    expect(report.conflicts).toEqual([{ path, sessionId: `${CLAUDE_ID}_2`, reason: expect.stringContaining("was changed in Victor since it was imported") }]);
    expect((await store.getSession(CLAUDE_ID)).conversation.messages).toEqual(mine);
    expect((await store.getSession(`${CLAUDE_ID}_2`)).conversation.messages).toEqual(await oneShot("claude", source, CLAUDE_ID));
    expect(await store.ledger.get(path)).toMatchObject({ sessionId: `${CLAUDE_ID}_2`, outcome: "forked" });
  });

  it("a session with the file's id that came from elsewhere: kept; the file comes in beside it, or not at all when that session holds it", async () => {
    const dbPath = tempDir().join("p.db");
    const elsewhere = tempDir().join("elsewhere.db");
    await runImport(elsewhere, { tools: ["claude"], sources: [CLAUDE] });
    // Imported on another machine, exported, and brought in here with `victor sessions import`.
    const copy = await session(elsewhere, CLAUDE_ID);
    const store = await openStore(dbPath);
    await store.saveSession({ sessionId: CLAUDE_ID, conversation: copy.conversation, model: copy.metadata.model, provider: copy.metadata.provider, metadataExtra: { imported_from: { file: "/other/machine.jsonl" } } });
    const same = await runImport(dbPath, { tools: ["claude"], sources: [CLAUDE] });
    const path = join(CLAUDE, CLAUDE_FILE);
    expect(same.counts.conflict).toBe(0);
    expect(same.notes).toContainEqual({ path, note: `already in the database: session ${CLAUDE_ID} holds its whole conversation` });
    expect(await store.hasSession(`${CLAUDE_ID}_2`)).toBe(false);

    const other = tempDir().join("other.db");
    const otherStore = await openStore(other);
    await otherStore.saveSession({ sessionId: CLAUDE_ID, conversation: { messages: [{ role: "user", content: "a different conversation" }] }, model: "m", provider: "p" });
    const beside = await runImport(other, { tools: ["claude"], sources: [CLAUDE] });
    expect(beside.conflicts).toEqual([{ path, sessionId: `${CLAUDE_ID}_2`, reason: expect.stringContaining(`a session ${CLAUDE_ID} not imported from this file`) }]);
    expect((await otherStore.getSession(CLAUDE_ID)).conversation.messages).toEqual([{ role: "user", content: "a different conversation" }]);
  });

  it("a session deleted in Victor stays deleted until its file changes; then it comes back whole", async () => {
    const source = copyFixtures(CLAUDE);
    const dbPath = tempDir().join("p.db");
    await runImport(dbPath, { tools: ["claude"], sources: [source] });
    const store = await openStore(dbPath);
    await store.deleteSession(CLAUDE_ID);
    expect((await runImport(dbPath, { tools: ["claude"], sources: [source] })).counts.imported).toBe(0);
    expect(await store.hasSession(CLAUDE_ID)).toBe(false);
    appendFileSync(join(source, CLAUDE_FILE), claudeLine("n1", "sys1", "user", "Back again"));
    const report = await runImport(dbPath, { tools: ["claude"], sources: [source] });
    expect(report.sessions).toEqual([expect.objectContaining({ sessionId: CLAUDE_ID, outcome: "imported" })]);
    expect((await store.getSession(CLAUDE_ID)).conversation.messages).toEqual(await oneShot("claude", source, CLAUDE_ID));
  });

  it("--dry-run writes nothing at all and reports what a real run would do", async () => {
    const dbPath = tempDir().join("p.db");
    const dry = await runImport(dbPath, { tools: ["gemini"], sources: [GEMINI], dryRun: true });
    expect(existsSync(dbPath)).toBe(false);
    const real = await runImport(dbPath, { tools: ["gemini"], sources: [GEMINI] });
    expect({ ...dry, dryRun: true, durationMs: 0 }).toEqual({ ...real, dryRun: true, durationMs: 0 });
  });

  it("--since skips older files without remembering them (a later run without it imports them)", async () => {
    const source = copyFixtures(CODEX);
    const dbPath = tempDir().join("p.db");
    const old = join(source, "archived_sessions/rollout-2026-02-01T08-00-00-019d0000-bbbb-7ccc-8ddd-000000000006.jsonl");
    utimesSync(old, new Date("2026-02-01T08:00:00Z"), new Date("2026-02-01T08:00:00Z"));
    const report = await runImport(dbPath, { tools: ["codex"], sources: [source], since: new Date("2026-03-01T00:00:00Z") });
    expect(report.ignored.older).toBe(1);
    expect(report.sessions.map((s) => s.sessionId)).not.toContain("codex-019d0000-bbbb-7ccc-8ddd-000000000006");
    const later = await runImport(dbPath, { tools: ["codex"], sources: [source] });
    expect(later.sessions.map((s) => s.sessionId)).toEqual(["codex-019d0000-bbbb-7ccc-8ddd-000000000006"]);
  });

  it("sessions of other folders are skipped (and remembered) unless --all-projects", async () => {
    const dbPath = tempDir().join("p.db");
    const first = await runImport(dbPath, { tools: ["claude"], sources: [CLAUDE] });
    expect(first.ignored["other-project"]).toBe(1);
    expect(first.sessions.map((s) => s.sessionId)).not.toContain("claude-a1b2c3d4-0000-4000-8000-000000000009");
    const ledger = await (await openStore(dbPath)).ledger.get(join(CLAUDE, "-home-dev-other-tool/a1b2c3d4-0000-4000-8000-000000000009.jsonl"));
    expect(ledger).toMatchObject({ outcome: "ignored", reason: "another folder (/home/dev/other-tool)", sessionId: null });
    const all = await runImport(dbPath, { tools: ["claude"], sources: [CLAUDE], allProjects: true });
    expect(all.sessions.map((s) => s.sessionId)).toEqual(["claude-a1b2c3d4-0000-4000-8000-000000000009"]);
  });

  it("a file that shrank (rewritten shorter) is imported again as a whole", async () => {
    const source = copyFixtures(CLAUDE);
    const dbPath = tempDir().join("p.db");
    await runImport(dbPath, { tools: ["claude"], sources: [source] });
    const file = join(source, CLAUDE_FILE);
    const text = readFileSync(file, "utf8");
    truncateSync(file, text.lastIndexOf("\n", text.length - 2) + 1);
    const report = await runImport(dbPath, { tools: ["claude"], sources: [source] });
    expect(report.counts.updated).toBe(1);
    expect((await session(dbPath, CLAUDE_ID)).conversation.messages).toEqual(await oneShot("claude", source, CLAUDE_ID));
  });
});

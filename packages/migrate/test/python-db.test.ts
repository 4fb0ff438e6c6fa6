import Database from "better-sqlite3";
import { readdirSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { openSessionStore, PythonVictorDatabaseError, toIsoUtc } from "@victor/core";
import { FIXTURE_ZONE, GUIDE_APRIL_DB, GUIDE_DB, MIXED_DB, STORE_APRIL_DB, STORE_DB, cleanup, migrate, openStore, pythonProject, sqlAll, tableChecksums, tempDir } from "./helpers.js";

afterEach(cleanup);

/** What metadata.python holds (see convert-python.ts). */
interface PythonMeta {
  source: string;
  database: string;
  schema: string;
  row: Record<string, unknown>;
  metadata: Record<string, unknown>;
  messages: Record<string, unknown>[];
  provider_name?: string | null;
}

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** Tables the upgrade creates or renames (everything else must be untouched). */
const VICTOR_TABLES = /^(sessions|messages|messages_fts.*|preview_fts.*|legacy_imports|python_upgrades|messages_new|__drizzle_migrations|sqlite_sequence)$/;

const FIXTURES = [
  { name: "the guide's schema (SQLiteSessionPersistence, 1bff51ed)", path: GUIDE_DB, sessions: 7, renamedTables: ["sessions", "messages"], triggers: [] as string[] },
  {
    name: "the ConversationStore schema (head 5fb849da)",
    path: STORE_DB,
    sessions: 6,
    renamedTables: ["sessions", "messages", "messages_fts"],
    triggers: ["messages_fts_insert", "messages_fts_delete", "messages_fts_update"],
  },
  {
    name: "the guide's schema after the head's ConversationStore opened it",
    path: MIXED_DB,
    sessions: 8,
    renamedTables: ["sessions", "messages", "messages_fts"],
    triggers: ["messages_fts_insert", "messages_fts_update", "messages_fts_delete"],
  },
  { name: "the guide's schema of April 2026 (786528d3)", path: GUIDE_APRIL_DB, sessions: 3, renamedTables: ["sessions", "messages"], triggers: [] as string[] },
  {
    name: "the ConversationStore schema of April 2026 (19a3e7ad)",
    path: STORE_APRIL_DB,
    sessions: 2,
    renamedTables: ["sessions", "messages", "messages_fts"],
    triggers: ["messages_fts_insert", "messages_fts_delete", "messages_fts_update"],
  },
];

describe.each(FIXTURES)("a project where the Python Victor ran: $name", (fixture) => {
  it("every command refuses to touch it and says what it is; the file stays byte-identical", async () => {
    const { dbPath } = pythonProject(fixture.path);
    const before = sha(dbPath);
    const error = await openSessionStore({ dbPath }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PythonVictorDatabaseError);
    expect((error as Error).message).toContain(`written by the Python Victor: ${fixture.sessions} sessions`);
    expect((error as Error).message).toContain("victor-migrate");
    expect(sha(dbPath)).toBe(before);
  });

  it("--dry-run reports exactly what the upgrade does, and writes nothing", async () => {
    const { dir, dbPath } = pythonProject(fixture.path);
    const before = sha(dbPath);
    const filesBefore = readdirSync(dir.join(".victor"));
    const dry = await migrate({ cwd: dir.path, dryRun: true, timeZone: FIXTURE_ZONE });
    expect(sha(dbPath)).toBe(before);
    expect(readdirSync(dir.join(".victor")).filter((n) => !n.endsWith("-wal") && !n.endsWith("-shm"))).toEqual(filesBefore);
    expect(dry.report.python).toMatchObject({ sessions: fixture.sessions, done: false, droppedTriggers: fixture.triggers });
    const real = await migrate({ cwd: dir.path, timeZone: FIXTURE_ZONE });
    expect(real.report.python).toEqual({ ...dry.report.python, done: true });
    expect(real.report.counts).toEqual(dry.report.counts);
    expect([...real.files.values()].map((f) => [f.path, f.outcome, f.sessionId])).toEqual([...dry.files.values()].map((f) => [f.path, f.outcome, f.sessionId]));
  });

  it("upgrades in place: verified backup, session tables renamed aside, every other table byte-identical, every session imported", async () => {
    const { dir, dbPath } = pythonProject(fixture.path);
    const original = tableChecksums(dbPath);
    const { report } = await migrate({ cwd: dir.path, timeZone: FIXTURE_ZONE });
    expect(report.counts).toMatchObject({ imported: fixture.sessions, failed: 0, conflict: 0, total: fixture.sessions });
    expect(report.python?.renamed.filter((r) => r.type === "table").map((r) => [r.from, r.to])).toEqual(
      expect.arrayContaining(fixture.renamedTables.map((t) => [t, `python_${t}`])),
    );

    // The backup is the database as it was, table for table, and checks out.
    expect(report.backupPath).toMatch(/project\.db\.backup-\d{8}-\d{6}$/);
    expect(tableChecksums(report.backupPath!)).toEqual(original);
    expect(sqlAll<{ integrity_check: string }>(report.backupPath!, "PRAGMA integrity_check")).toEqual([{ integrity_check: "ok" }]);

    const after = tableChecksums(dbPath);
    for (const [table, checksum] of Object.entries(original)) {
      if (VICTOR_TABLES.test(table)) continue;
      expect(after[table], `table ${table} changed`).toBe(checksum);
    }
    // The Python's session tables (and the FTS shadow tables) are kept, renamed, with the same rows.
    for (const table of Object.keys(original).filter((t) => /^(sessions|messages|messages_fts_.*)$/.test(t))) {
      expect(after[`python_${table}`], `python_${table}`).toBe(original[table]);
    }
    expect(sqlAll<{ integrity_check: string }>(dbPath, "PRAGMA integrity_check")).toEqual([{ integrity_check: "ok" }]);
    const record = sqlAll<{ schema_kind: string; dropped_triggers: string; backup_path: string }>(dbPath, "SELECT * FROM python_upgrades");
    expect(record).toHaveLength(1);
    expect(record[0]!.backup_path).toBe(report.backupPath);
    expect((JSON.parse(record[0]!.dropped_triggers) as { name: string; sql: string }[]).map((t) => t.name)).toEqual(fixture.triggers);

    const store = await openStore(dbPath, true);
    expect(await store.countSessions()).toBe(fixture.sessions);
    const ledger = await store.ledger.list();
    expect(ledger).toHaveLength(fixture.sessions);
    expect(ledger.every((e) => e.sourcePath.startsWith(`${dbPath}#sessions/`) && e.outcome === "imported" && e.revision === 1)).toBe(true);
    await store.close();

    const again = await migrate({ cwd: dir.path, timeZone: FIXTURE_ZONE });
    expect(again.report.python).toBeNull();
    expect(again.report.backupPath).toBeNull();
    expect(again.report.counts.total).toBe(0);
    expect(tableChecksums(dbPath)).toEqual(after);
  });
});

describe("lossless: the guide's schema", () => {
  it("keeps the stored envelope, every column of every row, and the original timestamp strings", async () => {
    const { dir, dbPath } = pythonProject(GUIDE_DB);
    const rows = sqlAll<Record<string, unknown>>(GUIDE_DB, "SELECT * FROM sessions WHERE id = 'proj-9Kx7Z2'");
    const messageRows = sqlAll<Record<string, unknown>>(GUIDE_DB, "SELECT * FROM messages WHERE session_id = 'proj-9Kx7Z2' ORDER BY id");
    const envelope = JSON.parse(rows[0]!.data as string) as { metadata: Record<string, unknown>; conversation: Record<string, unknown> };
    await migrate({ cwd: dir.path, timeZone: FIXTURE_ZONE });
    const store = await openStore(dbPath, true);
    const session = (await store.loadSession("proj-9Kx7Z2"))!;
    expect(session.conversation).toEqual(envelope.conversation);
    expect(session.conversation_state).toEqual({ stage: "EXECUTION", tool_history: ["code_search"], stage_confidence: 0.8 });
    expect(session.tool_selection_stats).toEqual({ code_search: { calls: 1, successes: 1 } });
    expect(session.metadata).toMatchObject({ title: "JWT validation", title_is_custom: true, tags: ["auth", "security"], model: "claude-sonnet-4-20250514", provider: "anthropic" });
    // Naive local times of a machine in America/Chicago, read as such; the strings themselves kept verbatim.
    expect(session.metadata.created_at).toBe(toIsoUtc(envelope.metadata.created_at as string, FIXTURE_ZONE));
    const python = session.metadata.python as PythonMeta;
    const { data: _data, ...columns } = rows[0]!;
    expect(python).toMatchObject({ source: `${dbPath}#sessions/proj-9Kx7Z2`, database: dbPath, schema: "guide", row: columns, metadata: envelope.metadata });
    expect(python.metadata.created_at).toMatch(/\.\d{6}$/);
    expect(python.messages).toEqual(messageRows.map((m) => ({ id: m.id, created_at: m.created_at })));
    // messages.created_at came from SQLite's datetime('now'): UTC, whatever the Python machine's zone.
    const stored = sqlAll<{ created_at: string }>(dbPath, "SELECT created_at FROM messages WHERE session_id = 'proj-9Kx7Z2' ORDER BY position");
    expect(stored.map((m) => m.created_at)).toEqual(messageRows.map((m) => toIsoUtc(m.created_at as string, "UTC")));
  });

  it("titles the Python derived are not kept as the user's; previews are searchable and counted", async () => {
    const { dir, dbPath } = pythonProject(GUIDE_DB);
    await migrate({ cwd: dir.path, timeZone: FIXTURE_ZONE });
    const store = await openStore(dbPath, true);
    expect((await store.loadSession("0e6y8l-Vc1bpuA"))!.metadata).toMatchObject({ title: "This is a very long first message that goes on ...", title_is_custom: false });
    expect((await store.loadSession("proj-9Kx8A3B"))!.metadata.title_is_custom).toBe(false);
    const found = await store.searchSessions("hello");
    expect(found.map((r) => [r.id, r.previewCount])).toEqual([["proj-preview01", 1]]);
  });
});

describe("lossless: a guide database the ConversationStore rebuilt (the Python Victor updated in between)", () => {
  it("reads each row as the shape it was written in; the rebuilt message times are still UTC", async () => {
    const { dir, dbPath } = pythonProject(MIXED_DB);
    const guide = sqlAll<{ data: string }>(MIXED_DB, "SELECT data FROM sessions WHERE id = 'proj-9Kx7Z2'")[0]!;
    const times = sqlAll<{ timestamp: string }>(MIXED_DB, "SELECT timestamp FROM messages WHERE session_id = 'proj-9Kx7Z2' ORDER BY rowid");
    const { report } = await migrate({ cwd: dir.path, timeZone: FIXTURE_ZONE });
    expect(report.counts).toMatchObject({ imported: 8, failed: 0 });
    const store = await openStore(dbPath, true);
    expect((await store.loadSession("proj-9Kx7Z2"))!.conversation).toEqual((JSON.parse(guide.data) as { conversation: unknown }).conversation);
    const stored = sqlAll<{ created_at: string }>(dbPath, "SELECT created_at FROM messages WHERE session_id = 'proj-9Kx7Z2' ORDER BY position");
    expect(stored.map((m) => m.created_at)).toEqual(times.map((t) => toIsoUtc(t.timestamp, "UTC")));
    const native = (await store.listSessions({ limit: -1 })).find((s) => s.id.startsWith("session_"))!;
    // Its first message failed to save in the Python Victor itself ("foreign key mismatch" on the mixed table).
    expect(native).toMatchObject({ title: "Untitled Session", messageCount: 0, model: "gpt-4o", provider: "openai" });
  });
});

describe("lossless: the ConversationStore schema", () => {
  it("shapes native rows as its load_session did, with tool calls, previews, state and every column", async () => {
    const { dir, dbPath } = pythonProject(STORE_DB);
    const row = sqlAll<Record<string, unknown>>(STORE_DB, "SELECT * FROM sessions WHERE metadata LIKE '%Login test failure%'")[0]!;
    const messageRows = sqlAll<Record<string, unknown>>(STORE_DB, "SELECT * FROM messages WHERE session_id = ? ORDER BY timestamp", row.session_id);
    await migrate({ cwd: dir.path, timeZone: FIXTURE_ZONE });
    const store = await openStore(dbPath, true);
    const session = (await store.loadSession(row.session_id as string))!;
    expect(session.metadata).toMatchObject({ title: "Login test failure", tags: ["tests", "auth"], provider: "anthropic", model: "claude-sonnet-4-20250514" });
    expect(session.metadata.created_at).toBe(toIsoUtc(row.created_at as string, FIXTURE_ZONE));
    expect(session.metadata.updated_at).toBe(toIsoUtc(row.last_activity as string, FIXTURE_ZONE));
    expect(session.conversation_state).toEqual({ stage: "EXECUTION", tool_history: ["run_tests"] });
    expect(session.execution_state).toEqual({ files_read: ["tests/test_login.py"], step: 3 });
    const messages = session.conversation.messages;
    expect(messages.map((m) => m.role)).toEqual(messageRows.map((m) => m.role));
    expect(messages[0]).toEqual({
      role: "system",
      content: "You are Victor, an AI coding assistant.",
      timestamp: messageRows[0]!.timestamp,
      token_count: messageRows[0]!.token_count,
      priority: messageRows[0]!.priority,
      tool_name: null,
      tool_call_id: null,
      metadata: JSON.parse(messageRows[0]!.metadata as string),
    });
    expect(messages[2]!.tool_calls).toEqual([{ id: "toolu_01", name: "run_tests", arguments: { path: "tests/test_login.py" } }]);
    expect(messages[3]).toMatchObject({ role: "tool", tool_name: "run_tests", tool_call_id: "toolu_01" });
    const python = session.metadata.python as PythonMeta;
    expect(python.schema).toBe("conversation-store");
    expect(python.row).toMatchObject({ prompt_tokens: 1200, cost_usd_micros: 5230, tool_capable: 1 });
    expect(python.provider_name).toBe("anthropic");
    expect(python.messages.map((m) => m.id)).toEqual(messageRows.map((m) => m.id));
    expect(python.messages[3]).toMatchObject({ agent_id: "coder", team_id: "team-7" });

    const untitled = (await store.listSessions({ limit: -1 })).find((s) => s.model === "qwen2.5-coder:7b")!;
    const withPreview = (await store.loadSession(untitled.id))!;
    expect(withPreview.metadata.title_is_custom).toBe(false);
    expect(withPreview.conversation.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(withPreview.conversation.preview_messages).toHaveLength(1);
    expect(untitled.previewCount).toBe(1);
    expect((await store.searchSessions("Stripe webhooks")).map((r) => r.id)).toEqual([untitled.id]);
  });

  it("envelopes written by the deprecated SQLiteSessionPersistence come back as they were saved", async () => {
    const { dir, dbPath } = pythonProject(STORE_DB);
    const stored = JSON.parse(sqlAll<{ metadata: string }>(STORE_DB, "SELECT metadata FROM sessions WHERE session_id = 'myproj-tools01'")[0]!.metadata) as Record<string, unknown>;
    await migrate({ cwd: dir.path, timeZone: FIXTURE_ZONE });
    const store = await openStore(dbPath, true);
    const session = (await store.loadSession("myproj-tools01"))!;
    expect(session.conversation).toEqual(stored.conversation);
    expect(session.session_ledger).toEqual(stored.session_ledger);
    expect(session.metadata).toMatchObject({ tags: ["grep"], title: "grep for TODOs", title_is_custom: false });
    expect((session.metadata.python as Record<string, unknown>).metadata).toEqual(stored.metadata);
  });
});

describe("--from-db PATH", () => {
  it("imports another Python database without changing it or leaving files beside it; re-runs are no-ops; a changed row updates", async () => {
    const other = pythonProject(STORE_DB);
    const before = sha(other.dbPath);
    const filesBefore = readdirSync(other.dir.join(".victor"));
    const target = tempDir().join("project.db");
    const first = await migrate({ fromDb: [other.dbPath], dbPath: target, timeZone: FIXTURE_ZONE });
    expect(first.report.fromDb).toEqual([{ path: other.dbPath, schemaName: "the ConversationStore schema", sessions: 6 }]);
    expect(first.report.counts).toMatchObject({ imported: 6, total: 6 });
    expect(first.report.sources).toEqual([]);
    expect(sha(other.dbPath)).toBe(before);
    expect(readdirSync(other.dir.join(".victor"))).toEqual(filesBefore);

    const second = await migrate({ fromDb: [other.dbPath], dbPath: target, timeZone: FIXTURE_ZONE });
    expect(second.report.counts).toMatchObject({ unchanged: 6, total: 6 });

    const db = new Database(other.dbPath);
    db.prepare(`UPDATE messages SET content = 'Why does the signup test fail?' WHERE id = 'msg_98f8fc9acdac'`).run();
    db.close();
    const third = await migrate({ fromDb: [other.dbPath], dbPath: target, timeZone: FIXTURE_ZONE });
    expect(third.report.counts).toMatchObject({ updated: 1, unchanged: 5 });
    const store = await openStore(target, true);
    expect((await store.loadSession("session_926a6a9999b7"))!.conversation.messages[1]!.content).toBe("Why does the signup test fail?");
  });

  it("reads a database that was already upgraded in place (its python_* tables)", async () => {
    const other = pythonProject(GUIDE_DB);
    await migrate({ cwd: other.dir.path, timeZone: FIXTURE_ZONE });
    const target = tempDir().join("project.db");
    const { report } = await migrate({ fromDb: [other.dbPath], dbPath: target, timeZone: FIXTURE_ZONE });
    expect(report.counts).toMatchObject({ imported: 7 });
  });

  it("refuses a file that is not the Python Victor's, naming it", async () => {
    const ours = tempDir().join("ours.db");
    (await openSessionStore({ dbPath: ours })).close();
    await expect(migrate({ fromDb: [ours], dbPath: tempDir().join("t.db") })).rejects.toThrow(/this Victor's own session database/);
  });
});

describe("Python rows that cannot be imported", () => {
  it("fail one by one, with the row and the reason; the upgrade and the other sessions go on", async () => {
    const { dir, dbPath } = pythonProject(GUIDE_DB);
    const db = new Database(dbPath);
    db.prepare(`INSERT INTO sessions (id, name, provider, model, profile, data, created_at, updated_at) VALUES (?, 'x', 'p', 'm', 'default', ?, '2026-01-01T00:00:00', '2026-01-01T00:00:00')`).run(
      "bad id with spaces",
      JSON.stringify({ metadata: {}, conversation: { messages: [] } }),
    );
    db.prepare(`INSERT INTO sessions (id, name, provider, model, profile, data, created_at, updated_at) VALUES ('broken-data', 'x', 'p', 'm', 'default', '{not json', '2026-01-01T00:00:00', '2026-01-01T00:00:00')`).run();
    db.close();
    const { report, files } = await migrate({ cwd: dir.path, timeZone: FIXTURE_ZONE });
    expect(report.counts).toMatchObject({ imported: 7, failed: 2 });
    expect(files.get(`${dbPath}#sessions/bad id with spaces`)!.reason).toMatch(/session id is not usable/);
    expect(files.get(`${dbPath}#sessions/broken-data`)!.reason).toBe("its data column is not valid JSON");
    // Both stay in python_sessions, as every row does.
    expect(sqlAll<{ n: number }>(dbPath, "SELECT count(*) AS n FROM python_sessions")[0]!.n).toBe(9);
    const again = await migrate({ cwd: dir.path, fromDb: [dbPath], timeZone: FIXTURE_ZONE });
    expect(again.report.counts).toMatchObject({ unchanged: 7, failed: 2 });
  });
});

describe("the guide's Python Victor started again after the upgrade (people move over gradually)", () => {
  /**
   * Its SQLiteSessionPersistence.save_session, statement for statement as in its code (786528d3,
   * the code that wrote GUIDE_APRIL_DB): each statement on its own, the first failure ends the save.
   */
  function pythonSave(dbPath: string, sessionId: string): Error | null {
    const db = new Database(dbPath);
    db.pragma("foreign_keys = ON");
    const now = "2026-04-06T10:00:00.000001";
    const envelope = {
      metadata: { session_id: sessionId, created_at: now, updated_at: now, model: "gpt-4o", provider: "openai", profile: "default", message_count: 1, title: "from Python", tags: [] },
      conversation: { messages: [{ role: "user", content: "saved by the Python Victor" }] },
      conversation_state: null,
      tool_selection_stats: null,
    };
    try {
      db.prepare(
        `INSERT OR REPLACE INTO sessions
                   (id, name, provider, model, profile, data, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(sessionId, "from Python", "openai", "gpt-4o", "default", JSON.stringify(envelope), now, now);
      db.prepare("DELETE FROM messages WHERE session_id = ?").run(sessionId);
      db.prepare(`INSERT INTO messages (session_id, role, content, tool_calls)
                       VALUES (?, ?, ?, ?)`).run(sessionId, "user", "saved by the Python Victor", null);
      return null;
    } catch (error) {
      return error as Error;
    } finally {
      db.close();
    }
  }

  it("its save of a session Victor has continued fails before it replaces anything", async () => {
    const { dir, dbPath } = pythonProject(GUIDE_APRIL_DB);
    await migrate({ cwd: dir.path, timeZone: FIXTURE_ZONE });
    const store = await openStore(dbPath);
    const session = (await store.loadSession("myproj-unicode1"))!;
    const continued = [...session.conversation.messages, { role: "user", content: "continued in Victor" }, { role: "assistant", content: "kept" }];
    await store.saveSession({ sessionId: "myproj-unicode1", conversation: { ...session.conversation, messages: continued }, model: "local", provider: "openai-compatible", expectedRevision: session.metadata.revision });
    const before = tableChecksums(dbPath);

    expect(pythonSave(dbPath, "myproj-unicode1")?.message).toMatch(/sessions belongs to Victor since its upgrade/);
    expect(pythonSave(dbPath, "py-new-session")?.message).toMatch(/sessions belongs to Victor since its upgrade/);

    expect(tableChecksums(dbPath)).toEqual(before);
    const reloaded = (await store.loadSession("myproj-unicode1"))!;
    expect(reloaded.conversation.messages.map((m) => m.content)).toEqual(continued.map((m) => m.content));
    expect(reloaded.metadata).toMatchObject({ provider: "openai-compatible", model: "local", title: "Déploiement 🚀" });
  });
});

import Database from "better-sqlite3";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  DatabaseOpenError,
  IncompatibleSchemaError,
  PythonVictorDatabaseError,
  InvalidSessionIdError,
  VictorError,
  isValidSessionId,
  openSessionStore,
  sqliteMaintenance,
} from "../src/index.js";
import { cleanupAll, freshStore, input, msgs, openTracked, raw, sha256File, tempDir } from "./helpers.js";

afterEach(cleanupAll);

const BAD_IDS = ["", "../etc/passwd", "a/b", ".hidden", "has space", "x".repeat(129), "'; DROP TABLE sessions;--", "-dash", "_under", "a\\b", "a\u0000b", "é", "a\nb", "..", "~", "a*", "a%"];

describe("invalid session ids", () => {
  it.each(BAD_IDS)("%j is rejected everywhere with InvalidSessionIdError (exit code 2), nothing touched", async (id) => {
    const { store, dir, dbPath } = await freshStore();
    await store.saveSession(input(msgs("keep"), { sessionId: "keep" }));
    const filesBefore = readdirSync(dir).sort();
    const calls: (() => Promise<unknown>)[] = [
      () => store.saveSession(input(msgs("x"), { sessionId: id })),
      () => store.loadSession(id),
      () => store.getSession(id),
      () => store.getSummary(id),
      () => store.deleteSession(id),
      () => store.deleteSessions({ prefix: id }),
      () => store.renameSession(id, "t"),
      () => store.forkSession(id),
      () => store.findSessionIds(id),
      () => store.resolveSessionId(id),
      () => store.importSessions([{ input: { ...input(msgs("x")), sessionId: id }, onConflict: "overwrite" }]),
    ];
    for (const call of calls) {
      const err = await call().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, call.toString()).toBeInstanceOf(InvalidSessionIdError);
      expect((err as VictorError).exitCode).toBe(2);
    }
    expect(readdirSync(dir).sort()).toEqual(filesBefore);
    expect(await store.countSessions()).toBe(1);
    raw(dbPath, (db) => expect(db.prepare(`SELECT id FROM sessions`).all()).toEqual([{ id: "keep" }]));
  });

  it("the message shows the id and the rule", async () => {
    const { store } = await freshStore();
    await expect(store.loadSession("a/b")).rejects.toThrow(/Invalid session id "a\/b".*letters, digits/);
  });

  it.each(["a", "A1", "x".repeat(128), "myproj-9Kx7Z2-aB3dEf_g1w", "session_0123abcd", "0f8fad5b-d9cb-469f-a165-70867728950e", "20250107_153045_2", "a.b=c"])(
    "%j is accepted",
    async (id) => {
      expect(isValidSessionId(id)).toBe(true);
      const { store } = await freshStore();
      await store.saveSession(input(msgs("x"), { sessionId: id }));
      expect((await store.loadSession(id))!.metadata.session_id).toBe(id);
    },
  );

  it("non-string ids from untyped callers are rejected, not coerced", async () => {
    const { store } = await freshStore();
    await expect(store.loadSession(42 as never)).rejects.toBeInstanceOf(InvalidSessionIdError);
    await expect(store.saveSession(input(msgs("x"), { sessionId: 42 as never }))).rejects.toBeInstanceOf(InvalidSessionIdError);
    expect(await store.countSessions()).toBe(0);
  });
});

describe("SQL / FTS metacharacters in user text are data", () => {
  it("titles, content and searches with SQL fragments are stored and found literally", async () => {
    const { store } = await freshStore();
    const evil = `'; DROP TABLE sessions;-- " OR 1=1 /* */ %_ \\ NEAR( * ^`;
    await store.saveSession(input(msgs(evil, evil), { sessionId: "evil", title: evil }));
    await store.saveSession(input(msgs("innocent"), { sessionId: "good" }));
    expect((await store.loadSession("evil"))!.metadata.title).toBe(evil);
    expect((await store.searchSessions(evil)).map((r) => r.id)).toEqual(["evil"]);
    expect((await store.searchSessions("DROP TABLE")).map((r) => r.id)).toEqual(["evil"]);
    expect(await store.countSessions()).toBe(2);
    await store.renameSession("evil", evil + " renamed");
    expect((await store.getSummary("evil")).title).toBe(evil + " renamed");
    expect(await (await sqliteMaintenance(store)).integrityCheck()).toBe("ok");
  });
});

describe("files that are not ours", () => {
  it("a non-SQLite file: IncompatibleSchemaError naming the file, bytes unchanged, no side files", async () => {
    const dir = tempDir();
    const dbPath = join(dir, "project.db");
    writeFileSync(dbPath, "this is my thesis, not a database\n".repeat(100));
    const before = sha256File(dbPath);
    const err = await openSessionStore({ dbPath }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IncompatibleSchemaError);
    expect((err as Error).message).toContain(dbPath);
    expect((err as Error).message).toMatch(/--db|VICTOR_DB_PATH|Move the file/);
    expect(sha256File(dbPath)).toBe(before);
    expect(readdirSync(dir)).toEqual(["project.db"]);
    await expect(openSessionStore({ dbPath, readonly: true })).rejects.toBeInstanceOf(IncompatibleSchemaError);
  });

  it("a tiny (< 16 bytes) non-SQLite file is refused too", async () => {
    const dbPath = join(tempDir(), "tiny.db");
    writeFileSync(dbPath, "hi");
    await expect(openSessionStore({ dbPath })).rejects.toBeInstanceOf(IncompatibleSchemaError);
    expect(sha256File(dbPath)).toBe(sha256File(dbPath));
  });

  it("an SQLite header followed by garbage: a typed error, file unchanged", async () => {
    const dbPath = join(tempDir(), "garbage.db");
    const bytes = Buffer.alloc(8192, 0xab);
    bytes.write("SQLite format 3\0", 0, "latin1");
    writeFileSync(dbPath, bytes);
    const before = sha256File(dbPath);
    const err = await openSessionStore({ dbPath }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VictorError);
    expect((err as Error).message).toContain(dbPath);
    expect(sha256File(dbPath)).toBe(before);
  });

  it("a zero-length file is accepted as a new database", async () => {
    const dbPath = join(tempDir(), "empty.db");
    writeFileSync(dbPath, "");
    const store = await openTracked(dbPath);
    await store.saveSession(input(msgs("first"), { sessionId: "s" }));
    expect(await store.countSessions()).toBe(1);
  });

  it("a directory at the db path: DatabaseOpenError", async () => {
    const dbPath = join(tempDir(), "adir.db");
    mkdirSync(dbPath);
    await expect(openSessionStore({ dbPath })).rejects.toBeInstanceOf(VictorError);
  });

  function makeForeign(dbPath: string, sql: string): string {
    const db = new Database(dbPath);
    db.exec(sql);
    db.close();
    return sha256File(dbPath);
  }

  const PYTHON = `CREATE TABLE sessions (session_id TEXT PRIMARY KEY, last_activity TEXT, metadata TEXT);
    INSERT INTO sessions VALUES ('py1', '2024-01-01', '{"x":1}');`;
  const GUIDE = `CREATE TABLE sessions (id TEXT PRIMARY KEY, name TEXT NOT NULL, provider TEXT, model TEXT, profile TEXT DEFAULT 'default',
      data TEXT NOT NULL, created_at TEXT, updated_at TEXT);
    CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT REFERENCES sessions(id) ON DELETE CASCADE, role TEXT,
      content TEXT, tool_calls TEXT, created_at TEXT);
    INSERT INTO sessions VALUES ('g1', 'Guide', 'p', 'm', 'default', '{}', '2024-01-01', '2024-01-01');`;
  const OURS_NO_RECORD = `CREATE TABLE sessions (id TEXT PRIMARY KEY, name TEXT NOT NULL, provider TEXT, model TEXT, profile TEXT, data TEXT NOT NULL,
      created_at TEXT, updated_at TEXT, message_count INTEGER, revision INTEGER, parent_id TEXT, search_title TEXT);`;

  // Regression: switching to WAL before the compatibility check rewrote a refused file's header
  // (bytes 18/19, change counter): DESIGN §2 says nothing is modified.
  it.each([
    ["a sessions table like ConversationStore's but no messages table", PYTHON, IncompatibleSchemaError, /sessions/],
    ["the guide's schema without a drizzle record: the Python Victor's", GUIDE, PythonVictorDatabaseError, /written by the Python Victor: 1 session \(the SQLiteSessionPersistence schema\).*victor-migrate/],
    ["all our columns but no drizzle record", OURS_NO_RECORD, IncompatibleSchemaError, /sessions/],
  ])("a foreign sessions table (%s): a typed error naming the file, bytes unchanged", async (_name, sql, type, message) => {
    const dir = tempDir();
    const dbPath = join(dir, "project.db");
    const before = makeForeign(dbPath, sql);
    const err = await openSessionStore({ dbPath }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect((err as Error).message).toContain(dbPath);
    expect((err as Error).message).toMatch(message);
    expect(sha256File(dbPath), "the database file was modified").toBe(before);
    expect(readdirSync(dir)).toEqual(["project.db"]);
    // also in read-only mode
    await expect(openSessionStore({ dbPath, readonly: true })).rejects.toBeInstanceOf(type);
    expect(sha256File(dbPath)).toBe(before);
  });

  it("other tools' tables are kept when core adds its own", async () => {
    const dbPath = join(tempDir(), "shared.db");
    makeForeign(dbPath, `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('mine'), ('also mine');`);
    const store = await openTracked(dbPath);
    await store.saveSession(input(msgs("q"), { sessionId: "s" }));
    await store.deleteSessions({ all: true });
    raw(dbPath, (db) => expect(db.prepare(`SELECT body FROM notes ORDER BY id`).all()).toEqual([{ body: "mine" }, { body: "also mine" }]));
  });
});

describe("read-only store", () => {
  it("reads work; every write fails with a typed error and changes nothing", async () => {
    const { store, dbPath } = await freshStore();
    await store.saveSession(input(msgs("q", "a"), { sessionId: "ro" }));
    const ro = await openTracked(dbPath, { readonly: true });
    expect(ro.readonly).toBe(true);
    expect((await ro.loadSession("ro"))!.conversation.messages).toEqual(msgs("q", "a"));
    expect(await ro.searchSessions("q")).toHaveLength(1);
    const writes: (() => Promise<unknown>)[] = [
      () => ro.saveSession(input(msgs("new"))),
      () => ro.saveSession(input(msgs("q", "a", "b"), { sessionId: "ro" })),
      () => ro.deleteSession("ro"),
      () => ro.deleteSessions({ all: true }),
      () => ro.renameSession("ro", "x"),
      () => ro.forkSession("ro"),
      () => ro.importSessions([{ input: { ...input(msgs("x")), sessionId: "imp" }, onConflict: "overwrite" }]),
      () => ro.ledger.recordFailures([{ sourcePath: "/x", size: 1, sha256: "h", sessionId: null, outcome: "failed", reason: null, importedAt: "2025-01-01T00:00:00.000Z", revision: null }]),
      async () => (await sqliteMaintenance(ro)).backupTo(),
    ];
    for (const w of writes) {
      const err = await w().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, w.toString()).toBeInstanceOf(DatabaseOpenError);
      expect((err as Error).message).toMatch(/read-only/);
    }
    expect(await store.countSessions()).toBe(1);
    const s = (await store.loadSession("ro"))!;
    expect(s.metadata.revision).toBe(1);
    expect(s.metadata.title).toBe("q");
    expect(s.conversation.messages).toHaveLength(2);
    expect(await store.ledger.list()).toEqual([]);
  });

  it("readonly on a brand-new (empty) file fails clearly and creates no tables", async () => {
    const dbPath = join(tempDir(), "empty.db");
    writeFileSync(dbPath, "");
    await expect(openSessionStore({ dbPath, readonly: true })).rejects.toBeInstanceOf(DatabaseOpenError);
    expect(existsSync(dbPath)).toBe(true);
  });
});

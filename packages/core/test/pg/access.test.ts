import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgAccess, pgTransaction, type PgAccess } from "../../src/engine/pg/access.js";
import type { PgConnection } from "../../src/engine/pg/connection.js";
import { AmbiguousSessionIdError, DatabaseOpenError, InvalidSessionIdError, SessionExistsError, SessionNotFoundError } from "../../src/domain/errors.js";
import { describePg, pgFixture, type PgFixture } from "./helpers.js";
import { PgHarness, input, msgs } from "./harness.js";

let fixture: PgFixture;
let connection: PgConnection;
let harness: PgHarness;
let access: PgAccess;

describePg("PostgreSQL access", () => {
  beforeAll(async () => {
    fixture = await pgFixture();
    connection = await fixture.migrated();
    harness = new PgHarness(connection, "github.com/acme/app");
    access = pgAccess(connection.db, { project: harness.project, target: connection.target });
  });

  afterAll(async () => {
    await fixture?.cleanup();
  });

  const row = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    name: `Title ${id}`,
    search_title: `title ${id}`,
    provider: "openai",
    model: "gpt-test",
    profile: "default",
    data: JSON.stringify({ tags: ["t1"], title_is_custom: false }),
    created_at: "2026-01-01T00:00:00.000Z",
    updated_at: "2026-01-01T00:00:00.000Z",
    message_count: 0,
    parent_id: null,
    revision: 1,
    ...extra,
  });

  describe("sessions", () => {
    it("insert, head, exists, row; owner defaults to the connected role, machine and shared are stored", async () => {
      await access.insertSession(row("s-basic", { machine: "laptop", shared: true }));
      expect(await access.sessionExists("s-basic")).toBe(true);
      expect(await access.sessionExists("s-basi")).toBe(false);
      expect(await access.sessionHead("s-basic")).toEqual({
        id: "s-basic",
        revision: 1,
        message_count: 0,
        name: "Title s-basic",
        data: { tags: ["t1"], title_is_custom: false },
        created_at: "2026-01-01T00:00:00.000Z",
      });
      const full = await access.sessionRow("s-basic");
      expect(full).toMatchObject({ id: "s-basic", owner: new URL(fixture.url).username, machine: "laptop", shared: true, parent_id: null });
      expect(await access.sessionRow("nope")).toBeNull();
    });

    it("an id that is taken is SessionExistsError", async () => {
      await access.insertSession(row("s-taken"));
      await expect(access.insertSession(row("s-taken"))).rejects.toThrow(SessionExistsError);
    });

    it("fresh ids: base, then base_2, base_3", async () => {
      const base = "20260102_030405";
      const { id: _id, ...rest } = row(base);
      expect(await access.insertSessionWithFreshId(base, rest)).toBe(base);
      expect(await access.insertSessionWithFreshId(base, rest)).toBe(`${base}_2`);
      expect(await access.insertSessionWithFreshId(base, rest)).toBe(`${base}_3`);
    });

    it("update bumps the revision, keeps parent_id unless given, and says when the session is gone", async () => {
      await access.insertSession(row("s-upd", { parent_id: "s-parent" }));
      expect(await access.updateSession({ ...row("s-upd", { name: "Renamed", machine: "desktop" }), parent_id: null })).toBe(2);
      expect(await access.sessionRow("s-upd")).toMatchObject({ name: "Renamed", parent_id: "s-parent", revision: 2, machine: "desktop", shared: false });
      expect(await access.updateSession(row("s-upd", { parent_id: "s-other" }))).toBe(3);
      expect((await access.sessionRow("s-upd"))!.parent_id).toBe("s-other");
      expect(await access.updateSession(row("s-gone"))).toBeNull();
      expect(await access.updateTitle("s-upd", { name: "User title", search_title: "user title", data: JSON.stringify({ title_is_custom: true }), updated_at: "2026-02-01T00:00:00.000Z" })).toBe(4);
      expect(await access.summary("s-upd")).toMatchObject({ name: "User title", revision: 4, updated_at: "2026-02-01T00:00:00.000Z" });
      expect(await access.updateTitle("s-gone", { name: "x", search_title: "x", data: "{}", updated_at: "2026-02-01T00:00:00.000Z" })).toBeNull();
    });

    it("messages: batch insert, read in order from a position, delete from a position", async () => {
      await access.insertSession(row("s-msgs"));
      const rows = Array.from({ length: 2500 }, (_, i) => ({
        session_id: "s-msgs",
        position: i,
        role: i % 2 ? "assistant" : "user",
        content: `message ${i}`,
        name: null,
        tool_calls: i === 1 ? '[{"id":"c1"}]' : null,
        tool_call_id: null,
        extra: null,
        created_at: "2026-01-01T00:00:00.000Z",
      }));
      await access.insertMessages(rows.reverse()); // more than one INSERT batch, any order
      const stored = await access.messagesOf("s-msgs");
      expect(stored).toHaveLength(2500);
      expect(stored[0]).toEqual({ role: "user", content: "message 0", name: null, tool_calls: null, tool_call_id: null, extra: null });
      expect(stored[1]!.tool_calls).toBe('[{"id":"c1"}]');
      expect(stored.map((m) => m.content)).toEqual(Array.from({ length: 2500 }, (_, i) => `message ${i}`));
      expect((await access.messagesOf("s-msgs", 2498)).map((m) => m.content)).toEqual(["message 2498", "message 2499"]);
      expect(await access.deleteMessagesFrom("s-msgs", 10)).toBe(2490);
      expect(await access.messagesOf("s-msgs")).toHaveLength(10);
      expect(await access.messagesOf("nope")).toEqual([]);
    });

    it("list: by updated (default), created or title; limit, offset, -1 = all; summary has tags", async () => {
      const project = pgAccess(connection.db, { project: "list-project", target: connection.target });
      for (const [id, name, created, updated] of [
        ["l1", "banana", "2026-01-01T00:00:00.000Z", "2026-01-05T00:00:00.000Z"],
        ["l2", "apple", "2026-01-02T00:00:00.000Z", "2026-01-04T00:00:00.000Z"],
        ["l3", "cherry", "2026-01-03T00:00:00.000Z", "2026-01-06T00:00:00.000Z"],
        ["l4", "Zebra", "2026-01-04T00:00:00.000Z", "2026-01-06T00:00:00.000Z"],
      ] as const) {
        await project.insertSession(row(id, { name, created_at: created, updated_at: updated }));
      }
      const ids = async (options: Parameters<PgAccess["listSessions"]>[0]) => (await project.listSessions(options)).map((s) => s.id);
      expect(await ids({ limit: 10, offset: 0 })).toEqual(["l4", "l3", "l1", "l2"]);
      expect(await ids({ orderBy: "created", limit: 10, offset: 0 })).toEqual(["l4", "l3", "l2", "l1"]);
      // Bytewise, as SQLite's BINARY: "Zebra" sorts before lower case.
      expect(await ids({ orderBy: "title", limit: 10, offset: 0 })).toEqual(["l4", "l2", "l1", "l3"]);
      expect(await ids({ limit: 2, offset: 1 })).toEqual(["l3", "l1"]);
      expect(await ids({ limit: -1, offset: 2 })).toEqual(["l1", "l2"]);
      expect(await project.summary("l1")).toEqual({
        id: "l1",
        name: "banana",
        model: "gpt-test",
        provider: "openai",
        profile: "default",
        message_count: 0,
        created_at: "2026-01-01T00:00:00.000Z",
        updated_at: "2026-01-05T00:00:00.000Z",
        parent_id: null,
        revision: 1,
        tags: '["t1"]',
        preview_count: null,
      });
      expect(await project.summary("nope")).toBeNull();
      expect(await project.countSessions()).toBe(4);
      expect(await project.exportIds()).toEqual(["l1", "l2", "l3", "l4"]);
    });

    it("stats are per project and computed by the server", async () => {
      const project = pgAccess(connection.db, { project: "stats-project", target: connection.target });
      expect(await project.stats()).toEqual({ sessions: 0, messages: 0, oldest: null, newest: null, models: {} });
      await project.insertSession(row("a", { message_count: 3, model: "m1", created_at: "2026-01-01T00:00:00.000Z" }));
      await project.insertSession(row("b", { message_count: 4, model: "m2", created_at: "2026-01-03T00:00:00.000Z" }));
      await project.insertSession(row("c", { message_count: 5, model: "m2", created_at: "2026-01-02T00:00:00.000Z" }));
      expect(await project.stats()).toEqual({ sessions: 3, messages: 12, oldest: "2026-01-01T00:00:00.000Z", newest: "2026-01-03T00:00:00.000Z", models: { m2: 2, m1: 1 } });
    });

    it("delete one (messages go with it), by prefix, all of a project", async () => {
      const project = pgAccess(connection.db, { project: "delete-project", target: connection.target });
      const other = pgAccess(connection.db, { project: "delete-other", target: connection.target });
      for (const id of ["d1", "d2", "d2_2", "d3"]) await project.insertSession(row(id));
      await other.insertSession(row("d1"));
      await project.insertMessages([{ session_id: "d1", position: 0, role: "user", content: "x", name: null, tool_calls: null, tool_call_id: null, extra: null, created_at: "2026-01-01T00:00:00.000Z" }]);
      expect(await project.deleteSession("d1")).toBe(true);
      expect(await project.deleteSession("d1")).toBe(false);
      expect(await project.messagesOf("d1")).toEqual([]);
      expect(await other.sessionExists("d1")).toBe(true);
      expect(await project.deleteSessionsWithPrefix("d2")).toBe(2);
      expect(await project.deleteAllSessions()).toBe(1);
      expect(await project.countSessions()).toBe(0);
      expect(await other.countSessions()).toBe(1);
    });
  });

  describe("ids typed by a user", () => {
    it("exact id wins; a unique prefix resolves; ambiguous and unknown prefixes are typed errors", async () => {
      const project = pgAccess(connection.db, { project: "resolve-project", target: connection.target });
      for (const id of ["20251215_101010", "20251216_090000", "20251216_090000_2", "abc", "abcdef"]) await project.insertSession(row(id));
      expect(await project.resolveId("abc")).toBe("abc");
      expect(await project.resolveId("abcd")).toBe("abcdef");
      expect(await project.resolveId("20251215")).toBe("20251215_101010");
      expect(await project.resolveId("20251216_090000")).toBe("20251216_090000");
      await expect(project.resolveId("20251216")).rejects.toThrow(AmbiguousSessionIdError);
      await expect(project.resolveId("zzz")).rejects.toThrow(SessionNotFoundError);
      await expect(project.resolveId("bad id!")).rejects.toThrow(InvalidSessionIdError);
    await expect(project.resolveId("")).rejects.toThrow(InvalidSessionIdError);
    await expect(project.idsWithPrefix("a\u0000")).rejects.toThrow(InvalidSessionIdError);
    await expect(project.deleteSessionsWithPrefix("%")).rejects.toThrow(InvalidSessionIdError);
    });

    it("a complete id that no longer exists is not found, never a prefix of its _2 sibling", async () => {
      const project = pgAccess(connection.db, { project: "sibling-project", target: connection.target });
      await project.insertSession(row("20261125_212652"));
      await project.insertSession(row("20261125_212652_2"));
      expect(await project.resolveId("20261125_212652")).toBe("20261125_212652");
      expect(await project.deleteSession(await project.resolveId("20261125_212652"))).toBe(true);
      await expect(project.resolveId("20261125_212652")).rejects.toThrow(SessionNotFoundError);
      expect(await project.sessionExists("20261125_212652_2")).toBe(true);
    });

    it('prefixes select the same ids, in the same order, as SQLite (COLLATE "C" = BINARY)', async () => {
      const ids = ["a", "A", "a-1", "a.1", "a_1", "a=1", "aB", "ab", "a0", "a9", "b", "a_", "a`x", "a__2", "Z", "z"];
      const project = pgAccess(connection.db, { project: "collate-project", target: connection.target });
      const sqlite = new Database(":memory:");
      sqlite.exec(`CREATE TABLE t (id TEXT PRIMARY KEY)`);
      for (const id of ids) {
        await project.insertSession(row(id));
        sqlite.prepare(`INSERT INTO t VALUES (?)`).run(id);
      }
      const inSqlite = (prefix: string) =>
        (sqlite.prepare(`SELECT id FROM t WHERE id >= ? AND id < ? ORDER BY id`).all(prefix, prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)) as { id: string }[]).map((r) => r.id);
      for (const prefix of ["a", "A", "a_", "a-", "a.", "aB", "ab", "a=", "Z", "z", "a_1"]) {
        expect(await project.idsWithPrefix(prefix, 100), prefix).toEqual(inSqlite(prefix));
      }
      expect((await project.listSessions({ orderBy: "title", limit: -1, offset: 0 })).map((s) => s.name)).toEqual(
        (sqlite.prepare(`SELECT 'Title ' || id AS name FROM t ORDER BY name`).all() as { name: string }[]).map((r) => r.name),
      );
      sqlite.close();
    });
  });

  describe("projects, ledgers, transactions", () => {
    it("two projects on one server never see each other's sessions, even with the same id", async () => {
      const a = new PgHarness(connection, "github.com/acme/a");
      const b = new PgHarness(connection, "github.com/acme/b");
      await a.save(input(msgs("alpha question about zeppelins", "answer"), { sessionId: "same-id" }));
      await b.save(input(msgs("beta question", "answer"), { sessionId: "same-id" }));
      expect((await a.load("same-id"))!.conversation.messages[0]!.content).toBe("alpha question about zeppelins");
      expect((await b.load("same-id"))!.conversation.messages[0]!.content).toBe("beta question");
      const accessB = pgAccess(connection.db, { project: b.project, target: connection.target });
      expect(await accessB.searchSessions("zeppelins", 10)).toEqual([]);
      expect(await accessB.countSessions()).toBe(1);
    });

    it("legacy import ledger: get, upsert, list (this role's, this project's)", async () => {
      const entry = { sourcePath: "/home/u/.victor/sessions/a.json", size: 12, sha256: "ab", sessionId: "a", outcome: "imported" as const, reason: null, importedAt: "2026-01-01T00:00:00.000Z", revision: 1 };
      expect(await access.ledgerEntry(entry.sourcePath)).toBeNull();
      await access.upsertLedger(entry);
      await access.upsertLedger({ ...entry, size: 13, outcome: "updated" });
      await access.upsertLedger({ ...entry, sourcePath: "/b.json" });
      expect(await access.ledgerEntry(entry.sourcePath)).toEqual({ ...entry, size: 13, outcome: "updated" });
      expect((await access.listLedger()).map((e) => e.sourcePath)).toEqual(["/b.json", entry.sourcePath]);
      const other = pgAccess(connection.db, { project: "ledger-other", target: connection.target });
      expect(await other.listLedger()).toEqual([]);
    });

    it("sync ledger: per remote and session; upsert replaces", async () => {
      const entry = { remote: "postgres://alice@db.example.com/victor", sessionId: "s1", localRevision: 3, remoteRevision: 7, contentHash: "h1", direction: "push" as const, syncedAt: "2026-01-01T00:00:00.000Z" };
      expect(await access.syncEntry(entry.remote, "s1")).toBeNull();
      await access.upsertSyncEntry(entry);
      await access.upsertSyncEntry({ ...entry, localRevision: 4, remoteRevision: 8, contentHash: "h2", direction: "pull" });
      await access.upsertSyncEntry({ ...entry, remote: "/home/u/other.db" });
      expect(await access.syncEntry(entry.remote, "s1")).toEqual({ ...entry, localRevision: 4, remoteRevision: 8, contentHash: "h2", direction: "pull" });
      expect(await access.listSyncEntries(entry.remote)).toHaveLength(1);
      expect(await access.listSyncEntries("/home/u/other.db")).toHaveLength(1);
    });

    it("a transaction commits everything or nothing", async () => {
      const failure = new Error("stop");
      await expect(
        pgTransaction(connection, harness.project, async (tx) => {
          await tx.insertSession(row("tx-1"));
          await tx.insertMessages([{ session_id: "tx-1", position: 0, role: "user", content: "x", name: null, tool_calls: null, tool_call_id: null, extra: null, created_at: "2026-01-01T00:00:00.000Z" }]);
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await access.sessionExists("tx-1")).toBe(false);
      await pgTransaction(connection, harness.project, (tx) => tx.insertSession(row("tx-2")));
      expect(await access.sessionExists("tx-2")).toBe(true);
    });

    it("a read-only transaction refuses writes", async () => {
      await expect(pgTransaction(connection, harness.project, (tx) => tx.insertSession(row("ro-1")), { readOnly: true })).rejects.toThrow(DatabaseOpenError);
    });

    it("save and load through the primitives: incremental re-save writes only the new messages", async () => {
      const conversation = msgs("first question", "first answer");
      const first = await harness.save(input(conversation));
      expect(first).toMatchObject({ created: true, revision: 1, written: 2 });
      expect(first.sessionId).toMatch(/^\d{8}_\d{6}(_\d+)?$/);
      conversation.push(...msgs("second question", "second answer"));
      const second = await harness.save(input(conversation, { sessionId: first.sessionId }));
      expect(second).toMatchObject({ created: false, revision: 2, written: 2 });
      conversation[3] = { role: "assistant", content: "edited answer" };
      expect(await harness.save(input(conversation, { sessionId: first.sessionId }))).toMatchObject({ revision: 3, written: 1 });
      const loaded = await harness.load(first.sessionId);
      expect(loaded!.conversation.messages).toEqual(conversation);
      expect(loaded!.metadata).toMatchObject({ session_id: first.sessionId, title: "first question", message_count: 4, revision: 3 });
    });
  });
});

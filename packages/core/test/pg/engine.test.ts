import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostname } from "node:os";
import type { PgConnection } from "../../src/engine/pg/connection.js";
import { DatabaseOpenError, UnsupportedOnEngineError } from "../../src/domain/errors.js";
import { sqliteMaintenance } from "../../src/index.js";
import { describePg, pgFixture, type PgFixture } from "./helpers.js";
import { input, msgs, pgRead, pgWrite, storeOn } from "./harness.js";

// What only the PostgreSQL engine has: projects on one server, owners and machines, the sync ledger.
// Everything the two engines share is in the contract suite (../*.test.ts, describeEngines).
describePg("PostgreSQL engine", () => {
  let fixture: PgFixture;
  let connection: PgConnection;
  const project = "github.com/acme/app";

  beforeAll(async () => {
    fixture = await pgFixture();
    connection = await fixture.migrated();
  });

  afterAll(async () => {
    await fixture?.cleanup();
  });

  const row = (id: string) => ({ id, name: `Title ${id}`, search_title: `title ${id}`, provider: "", model: "", profile: "default", data: "{}", created_at: "2026-01-01T00:00:00.000Z", updated_at: "2026-01-01T00:00:00.000Z", message_count: 0, parent_id: null, tags: "[]", preview_count: 0, revision: 1, incarnation: "t" });

  describe("sessions", () => {
    it("a saved session's owner is the connected role and its machine this host; it is private until shared", async () => {
      await storeOn(connection, project).saveSession(input(msgs("q"), { sessionId: "s-basic" }));
      const { rows } = await connection.pool.query(`SELECT owner, machine, shared FROM victor.sessions WHERE project = $1 AND id = 's-basic'`, [project]);
      expect(rows).toEqual([{ owner: new URL(fixture.url).username, machine: hostname(), shared: false }]);
    });

    it("two projects on one server never see each other's sessions, even with the same id", async () => {
      const a = storeOn(connection, "github.com/acme/a");
      const b = storeOn(connection, "github.com/acme/b");
      await a.saveSession(input(msgs("alpha question about zeppelins", "answer"), { sessionId: "same-id" }));
      await b.saveSession(input(msgs("beta question", "answer"), { sessionId: "same-id" }));
      expect((await a.getSession("same-id")).conversation.messages[0]!.content).toBe("alpha question about zeppelins");
      expect((await b.getSession("same-id")).conversation.messages[0]!.content).toBe("beta question");
      expect(await b.searchSessions("zeppelins")).toEqual([]);
      expect(await b.countSessions()).toBe(1);
      expect(await b.ledger.list()).toEqual([]);
    });
  });

  describe("ledgers and transactions", () => {
    it("the import ledger is this role's and this project's", async () => {
      const store = storeOn(connection, "ledger-project");
      await store.importSessions([{ input: { ...input(msgs("x")), sessionId: "l1" }, onConflict: "skip", source: { key: "/a.json", size: 1, sha256: "h" } }]);
      expect((await store.ledger.list()).map((e) => e.sourcePath)).toEqual(["/a.json"]);
      expect(await storeOn(connection, "ledger-other").ledger.list()).toEqual([]);
      const other = await fixture.createLoginRole("ledger_reader", ["victor_writer"]);
      expect(await storeOn(fixture.connect(other.url), "ledger-project").ledger.list()).toEqual([]);
    });

    it("sync ledger: per remote and session; upsert replaces", async () => {
      const entry = { remote: "postgres://alice@db.example.com/victor", sessionId: "s1", localRevision: 3, remoteRevision: 7, contentHash: "h1", direction: "push" as const, syncedAt: "2026-01-01T00:00:00.000Z" };
      await pgWrite(connection, project, async (access) => {
        expect(await access.syncEntry(entry.remote, "s1")).toBeNull();
        await access.upsertSyncEntry(entry);
        await access.upsertSyncEntry({ ...entry, localRevision: 4, remoteRevision: 8, contentHash: "h2", direction: "pull" });
        await access.upsertSyncEntry({ ...entry, remote: "/home/u/other.db" });
      });
      await pgRead(connection, project, async (access) => {
        expect(await access.syncEntry(entry.remote, "s1")).toEqual({ ...entry, localRevision: 4, remoteRevision: 8, contentHash: "h2", direction: "pull" });
        expect(await access.listSyncEntries(entry.remote)).toHaveLength(1);
        expect(await access.listSyncEntries("/home/u/other.db")).toHaveLength(1);
      });
    });

    it("a transaction commits everything or nothing", async () => {
      const failure = new Error("stop");
      await expect(
        pgWrite(connection, project, async (access) => {
          await access.insertSession(row("tx-1"));
          await access.insertMessages([{ session_id: "tx-1", position: 0, role: "user", content: "x", name: null, tool_calls: null, tool_call_id: null, extra: null, created_at: "2026-01-01T00:00:00.000Z" }]);
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await storeOn(connection, project).hasSession("tx-1")).toBe(false);
      await pgWrite(connection, project, (access) => access.insertSession(row("tx-2")));
      expect(await storeOn(connection, project).hasSession("tx-2")).toBe(true);
    });

    it("SQLite's file maintenance is refused, saying what to use instead", async () => {
      const error = await sqliteMaintenance(storeOn(connection, project)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnsupportedOnEngineError);
      expect((error as Error).message).toMatch(/maintenance of an SQLite file.*pg_dump/);
    });

    it("a read-only transaction refuses writes", async () => {
      await expect(pgRead(connection, project, (access) => access.insertSession(row("ro-1")))).rejects.toThrow(DatabaseOpenError);
    });
  });
});

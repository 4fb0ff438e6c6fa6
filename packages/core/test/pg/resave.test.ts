import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { PgExecutor } from "../../src/engine/pg/connection.js";
import type { PgEngine } from "../../src/engine/pg/engine.js";
import { KnownBases } from "../../src/domain/save-base.js";
import { SnapshotCache } from "../../src/domain/snapshot-cache.js";
import type { Message } from "../../src/domain/types.js";
import { saveInTransaction } from "../../src/save-session.js";
import { describePg, pgFixture, type PgFixture } from "./helpers.js";
import { input, pgEngine, storeOn } from "./harness.js";

type Counters = Record<string, Record<string, number>>;

/**
 * The server's per-table counters not yet flushed to the statistics (this connection's): scans,
 * rows fetched by index, rows written. A transaction's work is the difference between its end and
 * its start.
 */
async function tableCounters(tx: PgExecutor): Promise<Counters> {
  const result = await tx.execute<{ relname: string } & Record<string, string>>(
    sql`SELECT relname, seq_scan, coalesce(idx_scan, 0) AS idx_scan, coalesce(idx_tup_fetch, 0) AS idx_tup_fetch, n_tup_ins, n_tup_upd, n_tup_del
        FROM pg_stat_xact_user_tables WHERE schemaname = 'victor'`,
  );
  return Object.fromEntries(result.rows.map(({ relname, ...counts }) => [relname, Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)]))]));
}

function difference(end: Counters, start: Counters): Counters {
  return Object.fromEntries(Object.entries(end).map(([table, counts]) => [table, Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v - (start[table]?.[k] ?? 0)]))]));
}

describePg("PostgreSQL: re-saving one new message", () => {
  let fixture: PgFixture;
  let engine: PgEngine;
  // What a store keeps between saves: the snapshot of what it saved last (nothing stored is re-read).
  const snapshots = new SnapshotCache();
  const known = new KnownBases();

  beforeAll(async () => {
    fixture = await pgFixture();
    engine = pgEngine(await fixture.migrated(), "resave-project");
  });

  /** The store's one save algorithm in one transaction of the engine, observed at its start and end. */
  const save = (messages: Message[], sessionId: string, observe?: (tx: PgExecutor, moment: "start" | "end") => Promise<void>) =>
    engine.transaction(async (tx) => {
      await observe?.(tx, "start");
      const outcome = await saveInTransaction({ tx: engine.access(tx, true), snapshots, known }, input(messages, { sessionId }));
      await observe?.(tx, "end");
      if (outcome.snapshot) snapshots.set(sessionId, outcome.snapshot);
      return outcome.result;
    });

  afterAll(async () => {
    await fixture?.cleanup();
  });

  const conversation = (n: number): Message[] => Array.from({ length: n }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content: `message ${i} about the build` }));

  it("is one transaction that does the same work for a 10-message and a 10,000-message session", async () => {
    const work: Counters[] = [];
    for (const [id, size] of [
      ["small", 10],
      ["large", 10_000],
    ] as const) {
      const messages = conversation(size);
      await save(messages, id);
      messages.push({ role: "user", content: "one more" });
      let start: Counters = {};
      const observe = async (tx: PgExecutor, moment: "start" | "end") => {
        if (moment === "start") start = await tableCounters(tx);
        else work.push(difference(await tableCounters(tx), start));
      };
      expect(await save(messages, id, observe)).toMatchObject({ revision: 2, messageCount: size + 1 });
      expect((await storeOn(fixture.connect(), "resave-project").getSession(id)).conversation.messages).toHaveLength(size + 1);
    }
    const [small, large] = work;
    expect(large).toEqual(small);
    expect(Object.values(small!).every((t) => t.seq_scan === 0)).toBe(true);
    expect(small!.messages).toMatchObject({ n_tup_ins: 1, n_tup_del: 0, idx_tup_fetch: 0 });
    expect(small!.sessions).toMatchObject({ n_tup_upd: 1, n_tup_ins: 0 });
  });
});

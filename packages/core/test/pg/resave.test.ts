import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { PgExecutor } from "../../src/engine/pg/access.js";
import type { Message } from "../../src/domain/types.js";
import { describePg, pgFixture, type PgFixture } from "./helpers.js";
import { PgHarness, input } from "./harness.js";

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
  let harness: PgHarness;

  beforeAll(async () => {
    fixture = await pgFixture();
    harness = new PgHarness(await fixture.migrated(), "resave-project");
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
      await harness.save(input(messages, { sessionId: id }));
      messages.push({ role: "user", content: "one more" });
      // knownPrefix: the store's snapshot of what it saved last, so nothing stored is re-read.
      let start: Counters = {};
      const observe = async (tx: PgExecutor, moment: "start" | "end") => {
        if (moment === "start") start = await tableCounters(tx);
        else work.push(difference(await tableCounters(tx), start));
      };
      const saved = await harness.save(input(messages, { sessionId: id }), { knownPrefix: size, observe });
      expect(saved).toMatchObject({ revision: 2, written: 1 });
      expect((await harness.load(id))!.conversation.messages).toHaveLength(size + 1);
    }
    const [small, large] = work;
    expect(large).toEqual(small);
    expect(Object.values(small!).every((t) => t.seq_scan === 0)).toBe(true);
    expect(small!.messages).toMatchObject({ n_tup_ins: 1, n_tup_del: 0, idx_tup_fetch: 0 });
    expect(small!.sessions).toMatchObject({ n_tup_upd: 1, n_tup_ins: 0 });
  });
});

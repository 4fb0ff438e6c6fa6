// PostgreSQL engine benchmark, on a real server: the core workload of core-bench.mjs (re-save 1 of
// 10,000, load 10,000, list 20 of 10,000, search rare/common over 200,000 messages) through the
// engine's access primitives, as the store will run them. Not part of `pnpm test`.
//
//   export VICTOR_TEST_PG_URL="$(bash scripts/ci-postgres.sh)"   # a role that may create databases
//   pnpm build && node packages/core/bench/pg-bench.mjs           # prints one JSON object
//
// It creates its own database (and one LOGIN role, to measure reads under row-level security)
// and drops both at the end.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { pgAccess, pgTransaction, toPgMessageRow } from "../dist/engine/pg/access.js";
import { openPgConnection } from "../dist/engine/pg/connection.js";
import { migratePg } from "../dist/engine/pg/migrate.js";
import { decodeMessage, encodeMessage } from "../dist/message-codec.js";
import { buildEnvelope } from "../dist/session-data.js";

const adminUrl = process.env.VICTOR_BENCH_PG_URL ?? process.env.VICTOR_TEST_PG_URL;
if (!adminUrl) {
  console.error("Set VICTOR_TEST_PG_URL (or VICTOR_BENCH_PG_URL) to a role that may create databases: bash scripts/ci-postgres.sh prints one.");
  process.exit(2);
}
const suffix = randomBytes(4).toString("hex");
const database = `victor_bench_${suffix}`;
const role = `victor_bench_${suffix}`;
const rolePassword = randomBytes(12).toString("hex");
const urlFor = (user, password) => {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  if (user) {
    url.username = user;
    url.password = password;
  }
  return url.toString();
};

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${database}`);
const results = {};
const connections = [];
const connect = (url) => {
  const connection = openPgConnection({ url });
  connections.push(connection);
  return connection;
};

// The same text as core-bench.mjs: a Zipf-like vocabulary where "code" is common.
let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const vocabulary = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}x`);
vocabulary[0] = "code";
const word = () => vocabulary[Math.floor(vocabulary.length * rand() ** 3)];
const sentence = (n) => Array.from({ length: n }, word).join(" ");
const message = (i) => ({ role: i % 2 === 0 ? "user" : "assistant", content: sentence(20 + Math.floor(rand() * 40)), name: null, tool_calls: null, tool_call_id: null });

async function time(fn, runs = 20, warmup = 3) {
  for (let i = 0; i < warmup; i++) await fn(i);
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn(i + warmup);
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const now = () => new Date().toISOString();
const sessionRow = (id, count) => ({
  id,
  name: "Please help with this task",
  search_title: "please help with this task",
  provider: "bench",
  model: "bench-model",
  profile: "default",
  data: JSON.stringify({ conversation: { system_prompt: "You are Victor." }, tags: [], title_is_custom: false }),
  created_at: now(),
  updated_at: now(),
  message_count: count,
  parent_id: null,
});
const messageRows = (id, messages, from = 0) =>
  messages.slice(from).map((m, i) => ({ session_id: id, position: from + i, created_at: now(), ...toPgMessageRow(encodeMessage(m, from + i)) }));

/** A new session with its messages, one transaction. */
const create = (connection, project, id, messages) =>
  pgTransaction(connection, project, async (access) => {
    await access.insertSession({ ...sessionRow(id, messages.length), revision: 1 });
    await access.insertMessages(messageRows(id, messages));
  });

/** The store's re-save with a snapshot: lock the head, update it, append what is new. */
const resave = (connection, project, id, messages, storedCount) =>
  pgTransaction(connection, project, async (access) => {
    const head = await access.sessionHead(id, { forUpdate: true });
    if (head.message_count > storedCount) await access.deleteMessagesFrom(id, storedCount);
    await access.updateSession(sessionRow(id, messages.length));
    await access.insertMessages(messageRows(id, messages, storedCount));
  });

const load = (connection, project, id) =>
  pgTransaction(
    connection,
    project,
    async (access) => {
      const row = await access.sessionRow(id);
      return buildEnvelope(row, (await access.messagesOf(id)).map(decodeMessage));
    },
    { readOnly: true },
  );

try {
  const owner = connect(urlFor());
  await migratePg(owner.pool, owner.target);
  await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${rolePassword}' IN ROLE victor_writer`);
  const member = connect(urlFor(role, rolePassword));

  // Re-save and load, as a victor_writer member (row-level security applies to every query).
  {
    const project = "bench/resave";
    const big = Array.from({ length: 10_000 }, (_, i) => (i === 0 ? { ...message(0), content: "Please help with this task" } : message(i)));
    let t0 = performance.now();
    await create(member, project, "big", big);
    results.create10000 = performance.now() - t0;
    results.resave1 = await time(async () => {
      const stored = big.length;
      big.push(message(big.length));
      await resave(member, project, "big", big, stored);
    }, 50, 5);
    results.fullRewrite = await time(async () => {
      big.push(message(big.length));
      await pgTransaction(member, project, (access) => access.deleteSession("big"));
      await create(member, project, "big", big);
    }, 5, 1);
    results.resaveSpeedup = results.fullRewrite / results.resave1;
    results.load10000 = await time(() => load(member, project, "big"), 10, 2);
    results.load10000AsOwner = await time(() => load(owner, project, "big"), 10, 2);
    t0 = performance.now();
    const loaded = await load(member, project, "big");
    if (loaded.conversation.messages.length !== big.length) throw new Error("load returned the wrong number of messages");
    results.loadCheckMs = performance.now() - t0;
  }

  // List 20 of 10,000 sessions.
  {
    const project = "bench/list";
    const access = pgAccess(member.db, { project, target: member.target });
    for (let batch = 0; batch < 10; batch++) {
      await pgTransaction(member, project, async (tx) => {
        for (let i = 0; i < 1000; i++) {
          const id = `s${batch}_${i}`;
          const updated = new Date(Date.UTC(2026, 0, 1) + (batch * 1000 + i) * 60_000).toISOString();
          await tx.insertSession({ ...sessionRow(id, 2), updated_at: updated, created_at: updated, revision: 1 });
        }
      });
    }
    await owner.pool.query("ANALYZE victor.sessions");
    results.sessionsForList = await access.countSessions();
    results.list20 = await time(() => access.listSessions({ limit: 20, offset: 0 }), 50, 5);
  }

  // Search over 200,000 messages: 2,000 sessions of 100; a rare word planted in 5 of them.
  {
    const project = "bench/search";
    const access = pgAccess(member.db, { project, target: member.target });
    const t0 = performance.now();
    for (let batch = 0; batch < 20; batch++) {
      await pgTransaction(member, project, async (tx) => {
        for (let i = 0; i < 100; i++) {
          const n = batch * 100 + i;
          const conversation = Array.from({ length: 100 }, (_, k) => (k === 0 ? { ...message(0), content: "Please help with this task" } : message(k)));
          if (n % 400 === 7) conversation[n % 100] = { ...conversation[n % 100], content: `${conversation[n % 100].content} zanzibarite` };
          await tx.insertSession({ ...sessionRow(`q${n}`, 100), revision: 1 });
          await tx.insertMessages(messageRows(`q${n}`, conversation));
        }
      });
    }
    results.searchIndexSeconds = (performance.now() - t0) / 1000;
    await owner.pool.query("VACUUM ANALYZE victor.messages");
    results.searchMessages = 200_000;
    results.searchRare = await time(() => access.searchSessions("zanzibarite", 10), 20, 3);
    results.searchRareHits = (await access.searchSessions("zanzibarite", 100)).length;
    results.searchCommon = await time(() => access.searchSessions("code", 10), 10, 2);
    results.searchCommonPrefix = await time(() => access.searchSessions("cod", 10), 10, 2);
    const matching = await owner.pool.query(`SELECT count(*)::int AS n FROM victor.messages WHERE project = $1 AND search @@ 'code:*'::tsquery`, [project]);
    results.searchCommonMatchingMessages = matching.rows[0].n;
    const size = await owner.pool.query(`SELECT pg_total_relation_size('victor.messages') AS total, pg_relation_size('victor.messages_search_idx') AS gin`);
    results.messagesTableMB = Number(size.rows[0].total) / 2 ** 20;
    results.searchIndexMB = Number(size.rows[0].gin) / 2 ** 20;
  }
  const version = await owner.pool.query("SHOW server_version");
  results.server = `PostgreSQL ${version.rows[0].server_version}`;
} catch (error) {
  results.error = String(error?.stack ?? error);
} finally {
  await Promise.all(connections.map((c) => c.pool.end()));
  // Not WITH (FORCE): a non-superuser may not end an autovacuum worker; a plain DROP waits for it.
  await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin.query(`DROP ROLE IF EXISTS ${role}`);
  await admin.end();
}
results.peakRssMB = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify(results));

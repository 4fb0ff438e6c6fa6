// PostgreSQL engine benchmark, on a real server: the core workload of core-bench.mjs (re-save 1 of
// 10,000, load 10,000, list 20 of 10,000, search rare/common over 200,000 messages) through the
// session store itself (openSessionStore({ url }), the same API and workload as on SQLite), and
// push throughput (a project's SQLite file to the server). Not part of `pnpm test`; `pnpm bench`
// runs it through scripts/bench-pg.mjs when a server is named.
//
//   export VICTOR_TEST_PG_URL="$(bash scripts/ci-postgres.sh)"   # a role that may create databases
//   pnpm build && node packages/core/bench/pg-bench.mjs           # prints one JSON object
//
// It creates its own database (and one LOGIN role, to measure reads under row-level security)
// and drops both at the end.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { openSessionStore, pushSessions } from "../dist/index.js";
import { seededText } from "../../../bench/lib/text.mjs";
import { median, time } from "../../../bench/lib/timing.mjs";

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
const stores = [];
const open = async (url, project, dbPath) => {
  const store = await openSessionStore(dbPath ? { dbPath } : { url, project });
  stores.push(store);
  return store;
};

// The same text as core-bench.mjs: a Zipf-like vocabulary where "code" is common.
const { rand, zipfSentence: sentence } = seededText();
const message = (i) => ({ role: i % 2 === 0 ? "user" : "assistant", content: sentence(20 + Math.floor(rand() * 40)), name: null, tool_calls: null, tool_call_id: null });

const base = { model: "bench-model", provider: "bench" };
const conversation = (n) => ({
  system_prompt: "You are Victor.",
  messages: Array.from({ length: n }, (_, i) => (i === 0 ? { ...message(0), content: "Please help with this task" } : message(i))),
});

try {
  // The owner migrates (creates schema victor and the group roles); the bench reads and writes as a
  // victor_writer member, so row-level security applies to every query.
  await (await open(urlFor(), "bench/setup")).close();
  await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${rolePassword}' IN ROLE victor_writer`);
  const member = urlFor(role, rolePassword);
  const owner = new pg.Client({ connectionString: urlFor() });
  await owner.connect();

  {
    const store = await open(member, "bench/resave");
    const big = conversation(10_000);
    let t0 = performance.now();
    const { sessionId } = await store.saveSession({ ...base, conversation: big });
    results.create10000 = performance.now() - t0;
    // The same re-save on a 10-message session: one transaction doing the same work, so about the same
    // time. The two take turns, so what the server does in the background (autovacuum after the 10,000
    // inserts, a checkpoint) lands on both alike.
    const small = conversation(10);
    const { sessionId: smallId } = await store.saveSession({ ...base, conversation: small });
    const resaveBig = async () => {
      big.messages = [...big.messages, message(big.messages.length)];
      await store.saveSession({ ...base, sessionId, conversation: big });
    };
    const resaveSmall = async () => {
      small.messages = [...small.messages, message(small.messages.length)];
      await store.saveSession({ ...base, sessionId: smallId, conversation: small });
    };
    const [bigTimes, smallTimes] = [[], []];
    for (let i = 0; i < 55; i++) {
      for (const [fn, samples] of [[resaveBig, bigTimes], [resaveSmall, smallTimes]]) {
        const t0 = performance.now();
        await fn();
        if (i >= 5) samples.push(performance.now() - t0);
      }
    }
    results.resave1 = median(bigTimes);
    results.resave1Small = median(smallTimes);
    results.fullRewrite = await time(async () => {
      big.messages = [...big.messages, message(big.messages.length)];
      await store.deleteSession(sessionId);
      await store.saveSession({ ...base, sessionId, conversation: big });
    }, 5, 1);
    results.resaveSpeedup = results.fullRewrite / results.resave1;
    results.resaveGrowth = results.resave1 / results.resave1Small;
    const other = await open(member, "bench/resave");
    results.load10000 = await time(() => other.loadSession(sessionId), 10, 2);
    const asOwner = await open(urlFor(), "bench/resave");
    results.load10000AsOwner = await time(() => asOwner.loadSession(sessionId), 10, 2);
    t0 = performance.now();
    const loaded = await other.loadSession(sessionId);
    if (loaded.conversation.messages.length !== big.messages.length) throw new Error("load returned the wrong number of messages");
    results.loadCheckMs = performance.now() - t0;
  }

  // List 20 of 10,000 sessions.
  {
    const store = await open(member, "bench/list");
    for (let batch = 0; batch < 10; batch++) {
      await store.importSessions(
        Array.from({ length: 1000 }, (_, i) => ({
          onConflict: "skip",
          input: { ...base, sessionId: `s${batch}_${i}`, conversation: conversation(2), updatedAt: new Date(Date.UTC(2026, 0, 1) + (batch * 1000 + i) * 60_000).toISOString() },
        })),
      );
    }
    await owner.query("ANALYZE victor.sessions");
    results.sessionsForList = await store.countSessions();
    results.list20 = await time(() => store.listSessions({ limit: 20 }), 50, 5);
  }

  // Search over 200,000 messages: 2,000 sessions of 100; a rare word planted in 5 of them.
  {
    const project = "bench/search";
    const store = await open(member, project);
    const t0 = performance.now();
    for (let batch = 0; batch < 20; batch++) {
      await store.importSessions(
        Array.from({ length: 100 }, (_, i) => {
          const conv = conversation(100);
          const n = batch * 100 + i;
          if (n % 400 === 7) conv.messages[n % 100] = { ...conv.messages[n % 100], content: `${conv.messages[n % 100].content} zanzibarite` };
          return { onConflict: "skip", input: { ...base, sessionId: `q${n}`, conversation: conv } };
        }),
      );
    }
    results.searchIndexSeconds = (performance.now() - t0) / 1000;
    await owner.query("VACUUM ANALYZE victor.messages");
    results.searchMessages = 200_000;
    results.searchRare = await time(() => store.searchSessions("zanzibarite", { limit: 10 }), 20, 3);
    results.searchRareHits = (await store.searchSessions("zanzibarite", { limit: 100 })).length;
    results.searchCommon = await time(() => store.searchSessions("code", { limit: 10 }), 10, 2);
    results.searchCommonPrefix = await time(() => store.searchSessions("cod", { limit: 10 }), 10, 2);
    const matching = await owner.query(`SELECT count(*)::int AS n FROM victor.messages WHERE project = $1 AND search @@ 'code:*'::tsquery`, [project]);
    results.searchCommonMatchingMessages = matching.rows[0].n;
    const size = await owner.query(`SELECT pg_total_relation_size('victor.messages') AS total, pg_relation_size('victor.messages_search_idx') AS gin`);
    results.messagesTableMB = Number(size.rows[0].total) / 2 ** 20;
    results.searchIndexMB = Number(size.rows[0].gin) / 2 ** 20;
  }
  // Push: a project's file (SQLite) to the server, as `victor sessions push` does.
  {
    const dir = mkdtempSync(join(tmpdir(), "victor-pg-bench-"));
    try {
      const local = await open(undefined, undefined, join(dir, "project.db"));
      const sessions = 1_000;
      const perSession = 20;
      for (let batch = 0; batch < sessions / 250; batch++) {
        await local.importSessions(
          Array.from({ length: 250 }, (_, i) => ({ onConflict: "skip", input: { ...base, sessionId: `p${batch * 250 + i}`, conversation: conversation(perSession) } })),
        );
      }
      const remote = await open(member, "bench/push");
      let t0 = performance.now();
      const first = await pushSessions(local, remote);
      const seconds = (performance.now() - t0) / 1000;
      if (first.counts.created !== sessions) throw new Error(`push created ${first.counts.created} of ${sessions}`);
      results.pushSessions = sessions;
      results.pushMessages = first.messagesSent;
      results.pushSessionsPerSecond = sessions / seconds;
      results.pushMessagesPerSecond = first.messagesSent / seconds;
      t0 = performance.now();
      const again = await pushSessions(local, remote);
      results.repushUnchangedMs = performance.now() - t0;
      if (again.counts.unchanged !== sessions) throw new Error("a second push was not a no-op");
      // One new message in a 10,000-message session: one message travels.
      const big = conversation(10_000);
      await local.saveSession({ ...base, sessionId: "big", conversation: big });
      await pushSessions(local, remote, { ids: ["big"] });
      results.pushOneNewMessageMs = await time(async () => {
        big.messages = [...big.messages, message(big.messages.length)];
        await local.saveSession({ ...base, sessionId: "big", conversation: big });
        const report = await pushSessions(local, remote, { ids: ["big"] });
        if (report.messagesSent !== 1) throw new Error(`a push of one new message sent ${report.messagesSent}`);
      }, 10, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const version = await owner.query("SHOW server_version");
  results.server = `PostgreSQL ${version.rows[0].server_version}`;
  await owner.end();
} catch (error) {
  results.error = String(error?.stack ?? error);
} finally {
  await Promise.all(stores.map((s) => s.close()));
  // Not WITH (FORCE): a non-superuser may not end an autovacuum worker; a plain DROP waits for it.
  await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin.query(`DROP ROLE IF EXISTS ${role}`);
  await admin.end();
}
results.peakRssMB = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify(results));

// Core store benchmark: builds its own data in a temp dir and prints one JSON object.
// Run through `pnpm bench` (root), which prints the table; `node core-bench.mjs` prints JSON.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { openSessionStore } from "../dist/index.js";

const dir = mkdtempSync(join(tmpdir(), "victor-core-bench-"));
const results = {};

// Deterministic pseudo-random text with a Zipf-like word distribution: "code" is common, rare
// words are planted a few times.
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const vocabulary = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}x`);
vocabulary[0] = "code";
const word = () => vocabulary[Math.floor(vocabulary.length * rand() ** 3)];
const sentence = (n) => Array.from({ length: n }, word).join(" ");
const message = (i) => ({ role: i % 2 === 0 ? "user" : "assistant", content: sentence(20 + Math.floor(rand() * 40)), name: null, tool_calls: null, tool_call_id: null });
// The first message makes the title: keep the common word out of it so searches measure content.
const conversation = (n) => ({
  system_prompt: "You are Victor.",
  messages: Array.from({ length: n }, (_, i) => (i === 0 ? { ...message(0), content: "Please help with this task" } : message(i))),
});

/** Median of `runs` timings of fn (after `warmup` untimed runs), in ms. */
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

const base = { model: "bench-model", provider: "bench" };

{
  const store = await openSessionStore({ dbPath: join(dir, "a.db") });
  results.create1000 = await time(async () => {
    await store.saveSession({ ...base, conversation: conversation(1000) });
  }, 10, 2);

  const big = conversation(10_000);
  const { sessionId } = await store.saveSession({ ...base, conversation: big });
  results.resave1 = await time(async () => {
    big.messages = [...big.messages, message(big.messages.length)];
    await store.saveSession({ ...base, sessionId, conversation: big });
  }, 50, 5);
  results.fullRewrite = await time(async () => {
    big.messages = [...big.messages, message(big.messages.length)];
    await store.deleteSession(sessionId);
    await store.saveSession({ ...base, sessionId, conversation: big });
  }, 10, 2);
  results.resaveSpeedup = results.fullRewrite / results.resave1;

  const other = await openSessionStore({ dbPath: join(dir, "a.db") });
  results.load10000 = await time(async () => {
    await other.loadSession(sessionId);
  }, 10, 2);
  // A fresh process has no snapshot: the first re-save compares with the stored rows once.
  const third = await openSessionStore({ dbPath: join(dir, "a.db") });
  big.messages = [...big.messages, message(big.messages.length)];
  const t0 = performance.now();
  await third.saveSession({ ...base, sessionId, conversation: big });
  results.resave1NoSnapshot = performance.now() - t0;
  await Promise.all([store.close(), other.close(), third.close()]);
}


{
  const store = await openSessionStore({ dbPath: join(dir, "list.db") });
  for (let batch = 0; batch < 10; batch++) {
    await store.importSessions(
      Array.from({ length: 1000 }, (_, i) => ({
        onConflict: "skip",
        input: { ...base, sessionId: `s${batch}_${i}`, conversation: conversation(2), updatedAt: new Date(Date.UTC(2026, 0, 1) + (batch * 1000 + i) * 60_000).toISOString() },
      })),
    );
  }
  results.sessionsForList = await store.countSessions();
  results.list20 = await time(() => store.listSessions({ limit: 20 }), 50, 5);
  await store.close();
}

{
  const store = await openSessionStore({ dbPath: join(dir, "search.db") });
  const sessions = 2000;
  const perSession = 100;
  const t0 = performance.now();
  for (let batch = 0; batch < sessions / 100; batch++) {
    await store.importSessions(
      Array.from({ length: 100 }, (_, i) => {
        const conv = conversation(perSession);
        const n = batch * 100 + i;
        if (n % 400 === 7) conv.messages[n % perSession] = { ...conv.messages[n % perSession], content: `${conv.messages[n % perSession].content} zanzibarite` };
        return { onConflict: "skip", input: { ...base, sessionId: `q${n}`, conversation: conv } };
      }),
    );
  }
  results.searchIndexSeconds = (performance.now() - t0) / 1000;
  results.searchMessages = sessions * perSession;
  results.searchRare = await time(() => store.searchSessions("zanzibarite", { limit: 10 }), 20, 3);
  results.searchRareHits = (await store.searchSessions("zanzibarite", { limit: 100 })).length;
  results.searchCommon = await time(() => store.searchSessions("code", { limit: 10 }), 10, 2);
  const { default: Database } = await import("better-sqlite3");
  const raw = new Database(join(dir, "search.db"), { readonly: true });
  results.searchCommonMatchingMessages = raw.prepare(`SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH '"code"*'`).get().n;
  raw.close();
  await store.close();
}

{
  // History that is never lost: a compaction of a 10,000-message session marks 10,000 rows out of
  // the context and appends the summary and the kept messages; its undo flips the marks back.
  // Last, so the data the benchmarks above generate stays what it was.
  const store = await openSessionStore({ dbPath: join(dir, "history.db") });
  const compactions = [];
  const undos = [];
  const resaves = [];
  for (let run = 0; run < 3; run++) {
    const conv = conversation(10_000);
    const { sessionId } = await store.saveSession({ ...base, conversation: conv });
    const kept = [{ role: "system", content: "[Previous conversation summary]\nThe gist.", name: null, tool_calls: null, tool_call_id: null }, ...conv.messages.slice(-6)];
    let t0 = performance.now();
    await store.saveSession({ ...base, sessionId, conversation: { ...conv, messages: kept }, contextChange: { kind: "compact-smart" } });
    compactions.push(performance.now() - t0);
    const grown = { ...conv, messages: [...kept, message(7)] };
    t0 = performance.now();
    await store.saveSession({ ...base, sessionId, conversation: grown });
    resaves.push(performance.now() - t0);
    t0 = performance.now();
    await store.undoContextChange(sessionId);
    undos.push(performance.now() - t0);
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  results.compact10000 = median(compactions);
  results.resaveCompacted = median(resaves);
  results.undo10000 = median(undos);
  await store.close();
}

results.peakRssMB = process.resourceUsage().maxRSS / 1024;
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(results));

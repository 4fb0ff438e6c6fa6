// Core store benchmark: builds its own data in a temp dir and prints one JSON object. Every figure
// the floor (bench/floor: the same work on bare better-sqlite3) also measures is timed for both in
// the same run, the two taking turns, so a machine that slows down slows both: `<name>` is ours,
// `floor.<name>` the floor's. Run through `pnpm bench` (root), which prints the table.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { FloorStore } from "../../../bench/floor/floor-store.mjs";
import { openSessionStore } from "../dist/index.js";
import { seededText } from "../../../bench/lib/text.mjs";
import { median, time } from "../../../bench/lib/timing.mjs";

const dir = mkdtempSync(join(tmpdir(), "victor-core-bench-"));
const results = { floor: {} };

// Deterministic pseudo-random text with a Zipf-like word distribution: "code" is common, rare
// words are planted a few times.
const { rand, zipfSentence: sentence } = seededText();
const message = (i) => ({ role: i % 2 === 0 ? "user" : "assistant", content: sentence(20 + Math.floor(rand() * 40)), name: null, tool_calls: null, tool_call_id: null });
// The first message makes the title: keep the common word out of it so searches measure content.
const conversation = (n) => ({
  system_prompt: "You are Victor.",
  messages: Array.from({ length: n }, (_, i) => (i === 0 ? { ...message(0), content: "Please help with this task" } : message(i))),
});

/**
 * Medians of `runs` timings (after `warmup` untimed runs) of ours and the floor's, taking turns.
 * `fn(store, side)` is the work. With `collect`, the garbage of the previous sample is collected
 * first (`pnpm bench` runs this with --expose-gc): for work that allocates a lot (a load builds
 * 10,000 messages), so a sample pays for its own work, not for a collection the other side made due.
 * Not for sub-millisecond work: a collection just before it leaves the CPU's caches cold.
 */
async function timeBoth(name, ours, floor, fn, runs = 20, warmup = 3, collect = false) {
  const samples = { ours: [], floor: [] };
  for (let i = 0; i < warmup + runs; i++) {
    for (const [side, store] of [["ours", ours], ["floor", floor]]) {
      if (collect) globalThis.gc?.();
      const t0 = performance.now();
      await fn(store, side);
      if (i >= warmup) samples[side].push(performance.now() - t0);
    }
  }
  results[name] = median(samples.ours);
  results.floor[name] = median(samples.floor);
}

const base = { model: "bench-model", provider: "bench" };
const open = async (name) => ({ ours: await openSessionStore({ dbPath: join(dir, `${name}.db`) }), floor: await FloorStore.open(join(dir, `${name}-floor.db`)) });

{
  const { ours, floor } = await open("a");
  const ids = { ours: 0, floor: 0 };
  await timeBoth("create1000", ours, floor, (store, side) => store.saveSession({ ...base, sessionId: `c${ids[side]++}`, conversation: conversation(1000) }), 10, 2);

  // The same 10,000 messages for both; each side appends its own new messages (values, never shared).
  const template = conversation(10_000);
  const big = { ours: { ...template, messages: [...template.messages] }, floor: { ...template, messages: [...template.messages] } };
  for (const [side, store] of [["ours", ours], ["floor", floor]]) await store.saveSession({ ...base, sessionId: "big", conversation: big[side] });
  await timeBoth("resave1", ours, floor, async (store, side) => {
    big[side].messages = [...big[side].messages, message(big[side].messages.length)];
    await store.saveSession({ ...base, sessionId: "big", conversation: big[side] });
  }, 100, 5);
  results.fullRewrite = await time(async () => {
    big.ours.messages = [...big.ours.messages, message(big.ours.messages.length)];
    await ours.deleteSession("big");
    await ours.saveSession({ ...base, sessionId: "big", conversation: big.ours });
  }, 10, 2);
  results.resaveSpeedup = results.fullRewrite / results.resave1;

  // Loads from a second store of each kind: no snapshot of the session in that process's cache.
  const readers = { ours: await openSessionStore({ dbPath: join(dir, "a.db") }), floor: await FloorStore.open(join(dir, "a-floor.db")) };
  results.loadMessages = (await readers.ours.loadSession("big")).conversation.messages.length;
  await timeBoth("load10000", readers.ours, readers.floor, (store) => store.loadSession("big"), 51, 3, true);
  // A fresh process has no snapshot: the first re-save compares with the stored rows once.
  const third = await openSessionStore({ dbPath: join(dir, "a.db") });
  big.ours.messages = [...big.ours.messages, message(big.ours.messages.length)];
  const t0 = performance.now();
  await third.saveSession({ ...base, sessionId: "big", conversation: big.ours });
  results.resave1NoSnapshot = performance.now() - t0;
  await Promise.all([ours.close(), floor.close(), readers.ours.close(), readers.floor.close(), third.close()]);
}


{
  const { ours, floor } = await open("list");
  for (let batch = 0; batch < 10; batch++) {
    const items = Array.from({ length: 1000 }, (_, i) => ({
      onConflict: "skip",
      input: { ...base, sessionId: `s${batch}_${i}`, conversation: conversation(2), updatedAt: new Date(Date.UTC(2026, 0, 1) + (batch * 1000 + i) * 60_000).toISOString() },
    }));
    await ours.importSessions(items);
    await floor.importSessions(items);
  }
  results.sessionsForList = await ours.countSessions();
  await timeBoth("list20", ours, floor, (store) => store.listSessions({ limit: 20 }), 201, 10);
  await Promise.all([ours.close(), floor.close()]);
}

{
  const { ours, floor } = await open("search");
  const sessions = 2000;
  const perSession = 100;
  let indexMs = 0;
  for (let batch = 0; batch < sessions / 100; batch++) {
    const items = Array.from({ length: 100 }, (_, i) => {
      const conv = conversation(perSession);
      const n = batch * 100 + i;
      if (n % 400 === 7) conv.messages[n % perSession] = { ...conv.messages[n % perSession], content: `${conv.messages[n % perSession].content} zanzibarite` };
      return { onConflict: "skip", input: { ...base, sessionId: `q${n}`, conversation: conv } };
    });
    const t0 = performance.now();
    await ours.importSessions(items);
    indexMs += performance.now() - t0;
    await floor.importSessions(items);
  }
  results.searchIndexSeconds = indexMs / 1000;
  results.searchMessages = sessions * perSession;
  await timeBoth("searchRare", ours, floor, (store) => store.searchSessions("zanzibarite", { limit: 10 }), 51, 5);
  results.searchRareHits = (await ours.searchSessions("zanzibarite", { limit: 100 })).length;
  await timeBoth("searchCommon", ours, floor, (store) => store.searchSessions("code", { limit: 10 }), 51, 3);
  const { default: Database } = await import("better-sqlite3");
  const raw = new Database(join(dir, "search.db"), { readonly: true });
  results.searchCommonMatchingMessages = raw.prepare(`SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH '"code"*'`).get().n;
  raw.close();
  await Promise.all([ours.close(), floor.close()]);
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
  results.compact10000 = median(compactions);
  results.resaveCompacted = median(resaves);
  results.undo10000 = median(undos);
  await store.close();
}

results.peakRssMB = process.resourceUsage().maxRSS / 1024;
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(results));

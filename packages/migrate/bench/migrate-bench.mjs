#!/usr/bin/env node
// Generates N legacy session files into a temp dir, then migrates them (through the library, in a
// fresh child process so the generator's memory does not count) into a fresh database, and imports
// the same files with the floor (bench/floor: the same work on bare better-sqlite3), the two taking
// turns `--runs` times each; the faster run of each counts (the one the machine disturbed least).
// Prints {files, seconds, filesPerSecond, peakRssMB, floor: {…}}.
// Usage: node bench/migrate-bench.mjs [--files N] [--runs N] [--no-floor] [--keep]
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { seededText } from "../../../bench/lib/text.mjs";

const here = new URL(".", import.meta.url);

if (process.argv[2] === "--child") {
  const [, , , sourceDir, dbPath] = process.argv;
  const { migrateLegacySessions } = await import(new URL("../dist/index.js", here).href);
  const t0 = performance.now();
  const report = await migrateLegacySessions({ sources: [sourceDir], dbPath, backup: false });
  const seconds = (performance.now() - t0) / 1000;
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ seconds, peakRssMB, imported: report.counts.imported }));
  process.exit(0);
}

if (process.argv[2] === "--floor-child") {
  const [, , , sourceDir, dbPath] = process.argv;
  const { FloorStore } = await import(new URL("../../../bench/floor/floor-store.mjs", here).href);
  const { importLegacyFolder } = await import(new URL("../../../bench/floor/floor-legacy-files.mjs", here).href);
  const t0 = performance.now();
  const store = await FloorStore.open(dbPath);
  const imported = await importLegacyFolder(sourceDir, store);
  await store.close();
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({ seconds, peakRssMB: process.resourceUsage().maxRSS / 1024, imported }));
  process.exit(0);
}

const { values } = parseArgs({ options: { files: { type: "string", default: "5000" }, runs: { type: "string", default: "2" }, "no-floor": { type: "boolean" }, keep: { type: "boolean" } } });
const files = Number(values.files);
const runs = Number(values.runs);
if (!Number.isInteger(files) || files < 1) throw new Error("--files must be a positive integer");

const { rand, chatWord, sentence } = seededText();
const pad = (n) => String(n).padStart(2, "0");

function legacySession(i) {
  const d = new Date(2025, 0, 1, 0, 0, 0);
  d.setSeconds(d.getSeconds() + i * 37);
  const id = `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}_${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}_${i}`;
  const iso = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const system = `You are Victor, an AI coding assistant. ${sentence(20)}`;
  const count = 5 + Math.floor(rand() * 41);
  const messages = [{ role: "system", content: system, name: null, tool_calls: null, tool_call_id: null }];
  while (messages.length < count) {
    const k = messages.length % 4;
    if (k === 1) messages.push({ role: "user", content: sentence(10 + Math.floor(rand() * 30)), name: null, tool_calls: null, tool_call_id: null });
    else if (k === 2 && rand() < 0.5) {
      const callId = `toolu_${i}_${messages.length}`;
      messages.push({ role: "assistant", content: "", name: null, tool_calls: [{ id: callId, name: "read", arguments: { path: `src/${chatWord()}/${chatWord()}.py` } }], tool_call_id: null });
      messages.push({ role: "tool", content: Array.from({ length: 4 }, () => sentence(15)).join("\n"), name: "read", tool_calls: null, tool_call_id: callId });
    } else messages.push({ role: "assistant", content: Array.from({ length: 3 }, () => sentence(40)).join("\n\n"), name: null, tool_calls: null, tool_call_id: null });
  }
  return {
    metadata: { session_id: id, created_at: iso, updated_at: iso, model: "claude-sonnet-4-20250514", provider: "anthropic", profile: "default", message_count: messages.length, title: "", tags: [] },
    conversation: { system_prompt: system, system_added: true, messages, max_history: 100000 },
    conversation_state: { state: { stage: "EXECUTION", tool_history: ["read"], observed_files: [], modified_files: [], message_count: messages.length, last_tools: ["read"], stage_confidence: 0.7 } },
    tool_selection_stats: null,
  };
}

const root = mkdtempSync(join(tmpdir(), "victor-migrate-bench-"));
try {
  const sourceDir = join(root, "sessions");
  mkdirSync(sourceDir);
  let bytes = 0;
  for (let i = 0; i < files; i++) {
    const session = legacySession(i);
    const text = JSON.stringify(session, null, 2);
    bytes += text.length;
    writeFileSync(join(sourceDir, `${session.metadata.session_id}.json`), text);
  }
  /** One import into a fresh database in a child process: {seconds, peakRssMB, imported}. */
  const importOnce = (mode, n) => {
    const dbPath = join(root, `${mode}-${n}.db`);
    const child = spawnSync(process.execPath, [new URL(import.meta.url).pathname, mode, sourceDir, dbPath], { encoding: "utf8", maxBuffer: 1 << 24 });
    if (child.status !== 0) throw new Error(`bench child failed (${child.status}): ${child.stderr}`);
    const result = JSON.parse(child.stdout);
    if (result.imported !== files) throw new Error(`${mode}: expected ${files} imported, got ${result.imported}`);
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${dbPath}${suffix}`, { force: true });
    return result;
  };
  const best = (results) => ({
    seconds: Number(Math.min(...results.map((r) => r.seconds)).toFixed(2)),
    filesPerSecond: Math.round(files / Math.min(...results.map((r) => r.seconds))),
    peakRssMB: Number(Math.max(...results.map((r) => r.peakRssMB)).toFixed(1)),
  });
  const ours = [];
  const floor = [];
  for (let n = 0; n < runs; n++) {
    ours.push(importOnce("--child", n));
    if (!values["no-floor"]) floor.push(importOnce("--floor-child", n));
  }
  process.stdout.write(`${JSON.stringify({ files, runs, ...best(ours), sourceMB: Number((bytes / 1048576).toFixed(1)), ...(floor.length > 0 ? { floor: best(floor) } : {}) })}\n`);
} finally {
  if (!values.keep) rmSync(root, { recursive: true, force: true });
}

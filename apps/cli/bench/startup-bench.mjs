#!/usr/bin/env node
// Cold-process start-up of `victor sessions list` on a 10,000-session database, against a bare
// `node -e 0` (the floor of any Node program) and the floor's list (bench/floor/floor-list.mjs:
// better-sqlite3, two queries, a plain table), taking turns so the ratios hold when the machine's
// speed drifts. Every process gets the same clean environment (PATH, HOME, NO_COLOR).
// Usage: node apps/cli/bench/startup-bench.mjs [--sessions N] [--runs N]
// Prints JSON {sessions, runs, medianMs, p95Ms, minMs, maxMs, nodeMedianMs, ratio, floorMedianMs,
// floorRatio}; a ratio is the median of the run-by-run ratios. Needs `pnpm --filter victor build` first.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, "..", "bin", "victor.js");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const SESSIONS = arg("--sessions", 10_000);
const RUNS = arg("--runs", 20);

// @victor/core as the CLI resolves it (the workspace dependency of apps/cli).
const core = await import("@victor/core");

const dir = mkdtempSync(join(tmpdir(), "victor-startup-bench-"));
try {
  mkdirSync(join(dir, ".git"));
  const dbPath = join(dir, "project.db");
  const store = await core.openSessionStore({ dbPath });
  const base = Date.UTC(2024, 0, 1);
  const BATCH = 1000;
  for (let start = 0; start < SESSIONS; start += BATCH) {
    const items = [];
    for (let i = start; i < Math.min(SESSIONS, start + BATCH); i++) {
      const at = new Date(base + i * 60_000).toISOString();
      items.push({
        onConflict: "skip",
        input: {
          sessionId: `bench-${String(i).padStart(6, "0")}`,
          model: i % 2 ? "claude-sonnet-4" : "gpt-4o",
          provider: i % 2 ? "anthropic" : "openai",
          createdAt: at,
          updatedAt: at,
          conversation: {
            messages: [
              { role: "user", content: `Session ${i}: refactor module ${i % 97} and fix the failing tests` },
              { role: "assistant", content: `Here is the plan for module ${i % 97}: read, change, test.` },
              { role: "user", content: "Go ahead." },
              { role: "assistant", content: "Done; all tests pass." },
            ],
          },
        },
      });
    }
    await store.importSessions(items);
  }
  const count = await store.countSessions();
  await store.close();

  const timed = (args, cwd) => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd, env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: "1" }, encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${args.join(" ")} failed (${r.status}): ${r.stderr}`);
    return ms;
  };
  const list = () => timed([bin, "sessions", "list", "--db", dbPath], dir);
  const bare = () => timed(["-e", "0"], dir);
  const floorList = () => timed([join(here, "..", "..", "..", "bench", "floor", "floor-list.mjs"), dbPath], dir);
  // Warm the OS file cache once; every measured run is still a fresh Node process.
  list();
  bare();
  floorList();
  const pairs = Array.from({ length: RUNS }, () => [list(), bare(), floorList()]);
  const sorted = (values) => [...values].sort((a, b) => a - b);
  const median = (values) => {
    const v = sorted(values);
    return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  };
  const times = sorted(pairs.map(([a]) => a));
  const pick = (q) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
  const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
  console.log(
    JSON.stringify({
      sessions: count,
      runs: RUNS,
      medianMs: round(median(times)),
      p95Ms: round(pick(0.95)),
      minMs: round(times[0]),
      maxMs: round(times.at(-1)),
      nodeMedianMs: round(median(pairs.map(([, b]) => b))),
      ratio: round(median(pairs.map(([a, b]) => a / b)), 2),
      floorMedianMs: round(median(pairs.map(([, , c]) => c))),
      floorRatio: round(median(pairs.map(([a, , c]) => a / c)), 2),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

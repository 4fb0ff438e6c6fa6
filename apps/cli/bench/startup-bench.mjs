#!/usr/bin/env node
// Cold-process start-up of `victor sessions list` on a 10,000-session database.
// Usage: node apps/cli/bench/startup-bench.mjs [--sessions N] [--runs N]
// Prints JSON {sessions, runs, medianMs, p95Ms, minMs, maxMs}. Needs `pnpm --filter victor build` first.
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
const RUNS = arg("--runs", 10);

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

  const run = () => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [bin, "sessions", "list", "--db", dbPath], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: "1" }, encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`victor sessions list failed (${r.status}): ${r.stderr}`);
    return ms;
  };
  run(); // warm the OS file cache once; every measured run is still a fresh Node process
  const times = Array.from({ length: RUNS }, run).sort((a, b) => a - b);
  const pick = (q) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
  const round = (n) => Math.round(n * 10) / 10;
  const median = times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
  console.log(JSON.stringify({ sessions: count, runs: RUNS, medianMs: round(median), p95Ms: round(pick(0.95)), minMs: round(times[0]), maxMs: round(times.at(-1)) }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

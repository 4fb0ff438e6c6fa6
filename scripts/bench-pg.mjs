// The PostgreSQL column of `pnpm bench`: the core workload on a real server beside the SQLite
// figures, a re-save's cost on a small and a large session (it must not grow with the session),
// and push throughput from a project's file. Runs only when VICTOR_BENCH_PG_URL or
// VICTOR_TEST_PG_URL names a role that may create databases (bash scripts/ci-postgres.sh prints
// one), and says so when it skips. scripts/bench.mjs calls it; alone, `node scripts/bench-pg.mjs`
// runs the SQLite core benchmark too and prints both columns (`--json` for raw figures).

/** The server to measure, or null. */
export const pgBenchUrl = (env = process.env) => env.VICTOR_BENCH_PG_URL || env.VICTOR_TEST_PG_URL || null;

/** Runs the PostgreSQL benchmark with `run` (bench.mjs's: a script in its own process → its JSON). */
export function runPgBench(run) {
  if (!pgBenchUrl()) return { skipped: "set VICTOR_BENCH_PG_URL or VICTOR_TEST_PG_URL (bash scripts/ci-postgres.sh prints one) to measure PostgreSQL" };
  return run("packages/core/bench/pg-bench.mjs");
}

const ms = (v) => (typeof v === "number" ? `${v.toFixed(v >= 10 ? 1 : 2)} ms` : "–");
const num = (v, unit) => (typeof v === "number" ? `${Math.round(v).toLocaleString("en-US")} ${unit}` : "–");

/** The table: one row per figure, SQLite beside PostgreSQL. */
export function pgTable(core = {}, pg = {}) {
  if (pg.skipped) return `PostgreSQL column skipped: ${pg.skipped}.`;
  if (pg.error) return `PostgreSQL column failed: ${String(pg.error).split("\n")[0]}`;
  const rows = [
    ["re-save a 10,000-message session, +1 message", ms(core.resave1), ms(pg.resave1), "≤ 2 ms (SQLite)"],
    ["  the same re-save, 10-message session", "–", ms(pg.resave1Small), "the same cost"],
    ["  large / small", "–", typeof pg.resaveGrowth === "number" ? `${pg.resaveGrowth.toFixed(2)}×` : "–", "≈ 1×"],
    ["  full rewrite / incremental", typeof core.resaveSpeedup === "number" ? `${Math.round(core.resaveSpeedup)}×` : "–", typeof pg.resaveSpeedup === "number" ? `${Math.round(pg.resaveSpeedup)}×` : "–", "≥ 100× (SQLite)"],
    ["load a 10,000-message session", ms(core.load10000), ms(pg.load10000), "–"],
    [`list 20 of ${(pg.sessionsForList ?? 10_000).toLocaleString("en-US")} sessions`, ms(core.list20), ms(pg.list20), "≤ 2 ms (SQLite)"],
    ["search a rare word, 200,000 messages", ms(core.searchRare), ms(pg.searchRare), "≤ 10 ms (SQLite)"],
    ["search a common word", ms(core.searchCommon), ms(pg.searchCommon), "≤ 10 ms (SQLite)"],
    [`push ${(pg.pushSessions ?? 1000).toLocaleString("en-US")} sessions, file → server`, "–", num(pg.pushSessionsPerSecond, "sessions/s"), "–"],
    ["  messages", "–", num(pg.pushMessagesPerSecond, "messages/s"), "–"],
    ["  again, nothing changed", "–", ms(pg.repushUnchangedMs), "–"],
    ["push one new message of a 10,000-message session", "–", ms(pg.pushOneNewMessageMs), "–"],
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), ["benchmark", "SQLite", "PostgreSQL"][i].length));
  const line = (r) => `${r[0].padEnd(widths[0])}  ${r[1].padStart(widths[1])}  ${r[2].padStart(widths[2])}  ${r[3]}`;
  return [`PostgreSQL (${pg.server ?? "server"}; reads as a victor_writer member, under row-level security)`, line(["benchmark", "SQLite", "PostgreSQL", "target"]), ...rows.map(line)].join("\n");
}

// Alone: both columns, measured now.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { execFileSync } = await import("node:child_process");
  const root = new URL("..", import.meta.url).pathname;
  const run = (script) => {
    try {
      const out = execFileSync(process.execPath, ["--expose-gc", `${root}${script}`], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 << 20 });
      return JSON.parse(out.trim().split("\n").at(-1));
    } catch (error) {
      return { error: String(error.message).split("\n")[0] };
    }
  };
  const pg = runPgBench(run);
  const core = pg.skipped ? {} : run("packages/core/bench/core-bench.mjs");
  console.log(process.argv.includes("--json") ? JSON.stringify({ core, postgres: pg }, null, 2) : pgTable(core, pg));
}

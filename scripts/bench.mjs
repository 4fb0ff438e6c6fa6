// `pnpm bench`: runs each package's benchmark in its own process (so peak RSS is its own), then
// prints one table of figures against their targets. `--json` prints the raw results instead.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const json = process.argv.includes("--json");
const root = new URL("..", import.meta.url).pathname;

function run(script, args = []) {
  const path = `${root}${script}`;
  if (!existsSync(path)) return { error: `missing ${script}` };
  try {
    const out = execFileSync(process.execPath, ["--expose-gc", path, ...args], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 << 20 });
    return JSON.parse(out.trim().split("\n").at(-1));
  } catch (error) {
    return { error: String(error.message).split("\n")[0] };
  }
}

if (!json) process.stderr.write("Running benchmarks (about three minutes on 2 cores)…\n");
const results = {
  core: run("packages/core/bench/core-bench.mjs"),
  migrate5k: run("packages/migrate/bench/migrate-bench.mjs", ["--files", "5000"]),
  migrate20k: run("packages/migrate/bench/migrate-bench.mjs", ["--files", "20000"]),
  startup: run("apps/cli/bench/startup-bench.mjs"),
  importClaude: run("packages/import/bench/import-bench.mjs", ["--claude", "1000"]),
  // The big one runs once: ~500 MB written to a temp dir, then imported.
  importRollout: run("packages/import/bench/import-bench.mjs", ["--rollout", "500"]),
};

// --- PostgreSQL column (scripts/bench-pg.mjs): measured only when a server is named, else says why. ---
const pgBench = await import("./bench-pg.mjs");
results.postgres = pgBench.runPgBench(run);
// --- end PostgreSQL column ---

if (json) {
  console.log(JSON.stringify(results, null, 2));
} else {
  const ms = (v) => (typeof v === "number" ? `${v.toFixed(2)} ms` : "n/a");
  const num = (v, unit = "") => (typeof v === "number" ? `${v.toFixed(v >= 100 ? 0 : 1)}${unit}` : "n/a");
  const { core: c, migrate5k: m5, migrate20k: m20, startup: s, importClaude: ic, importRollout: ir } = results;
  const rows = [
    ["create a 1,000-message session", ms(c.create1000), "-"],
    ["re-save 10,000-message session, +1 message", ms(c.resave1), "≤ 2 ms"],
    ["  same re-save as a full rewrite", ms(c.fullRewrite), "-"],
    ["  incremental vs rewrite", num(c.resaveSpeedup, "×"), "≥ 100×"],
    ["  first re-save in a new process (no snapshot)", ms(c.resave1NoSnapshot), "-"],
    ["load a 10,000-message session", ms(c.load10000), "-"],
    ["compact a 10,000-message session (marks, no delete)", ms(c.compact10000), "-"],
    ["  then re-save it with 1 new message", ms(c.resaveCompacted), "≤ 2 ms"],
    ["  undo the compaction", ms(c.undo10000), "-"],
    [`list 20 of ${c.sessionsForList ?? "?"} sessions`, ms(c.list20), "≤ 2 ms"],
    [`search rare word, ${c.searchMessages ?? "?"} messages`, ms(c.searchRare), "≤ 10 ms"],
    [`search common word (in ${c.searchCommonMatchingMessages ?? "?"} messages)`, ms(c.searchCommon), "≤ 10 ms"],
    ["core peak RSS", num(c.peakRssMB, " MB"), "-"],
    [`migrate ${m5.files ?? 5000} legacy files`, num(m5.filesPerSecond, " files/s"), "≥ 1,500 files/s"],
    ["  peak RSS", num(m5.peakRssMB, " MB"), "≤ 200 MB"],
    [`migrate ${m20.files ?? 20000} legacy files`, num(m20.filesPerSecond, " files/s"), "≥ 1,500 files/s"],
    ["  peak RSS", num(m20.peakRssMB, " MB"), "≤ 200 MB"],
    [`victor sessions list, ${s.sessions ?? "?"} sessions, cold (median)`, ms(s.medianMs), "≤ 250 ms"],
    [`victor import, ${ic.files ?? 1000} Claude Code sessions (${ic.megabytes ?? "?"} MB)`, num(ic.filesPerSecond, " files/s"), "-"],
    ["  throughput", num(ic.megabytesPerSecond, " MB/s"), "-"],
    ["  peak RSS", num(ic.peakRssMB, " MB"), "-"],
    [`victor import, one ${ir.megabytes ?? 500} MB Codex rollout`, num(ir.megabytesPerSecond, " MB/s"), "-"],
    ["  peak RSS", num(ir.peakRssMB, " MB"), "≤ 200 MB"],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log(`${"benchmark".padEnd(w0)}  ${"measured".padStart(w1)}  target`);
  for (const [name, value, target] of rows) console.log(`${name.padEnd(w0)}  ${value.padStart(w1)}  ${target}`);
  for (const [name, r] of Object.entries(results)) if (r.error) console.log(`(${name}: ${r.error})`);
  // --- PostgreSQL column ---
  console.log(`\n${pgBench.pgTable(results.core, results.postgres)}`);
}

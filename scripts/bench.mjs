// `pnpm bench`: runs each benchmark in its own process (so peak RSS is its own) and prints one table:
// each figure, the floor's figure measured in the same run (bench/floor: the same work on bare
// better-sqlite3; `node -e 0` for a cold start), their ratio, and the target.
//   pnpm bench                   the table
//   pnpm bench -- --json         the raw figures
//   pnpm bench -- --markdown     the table as the README's Performance section shows it (with the date)
//   pnpm bench -- --import-mb N  the size of the generated export for `sessions import` (default 1024)
//   node scripts/bench.mjs --from FILE [--from FILE2] [--markdown]   the table of runs saved with --json
//                                (several runs: each run's ratio, the last run's figures)
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { pgTable, runPgBench } from "./bench-pg.mjs";

const json = process.argv.includes("--json");
const markdown = process.argv.includes("--markdown");
const importMbAt = process.argv.indexOf("--import-mb");
const importMb = importMbAt >= 0 ? process.argv[importMbAt + 1] : "1024";
const root = new URL("..", import.meta.url).pathname;
const fromFiles = process.argv.flatMap((arg, i) => (process.argv[i - 1] === "--from" ? [arg] : []));

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

/** Every benchmark, each in its own process; the machine's load average around them. */
function runAll() {
  process.stderr.write("Running benchmarks (about eight minutes on 2 cores)…\n");
  const loadBefore = loadavg()[0];
  const figures = {
    core: run("packages/core/bench/core-bench.mjs"),
    migrate5k: run("packages/migrate/bench/migrate-bench.mjs", ["--files", "5000", "--runs", "3"]),
    migrate20k: run("packages/migrate/bench/migrate-bench.mjs", ["--files", "20000", "--runs", "1", "--no-floor"]),
    startup: run("apps/cli/bench/startup-bench.mjs"),
    importFile: run("apps/cli/bench/import-file-bench.mjs", ["--mb", importMb]),
    importClaude: run("packages/import/bench/import-bench.mjs", ["--claude", "1000"]),
    // The big one runs once: ~500 MB written to a temp dir, then imported.
    importRollout: run("packages/import/bench/import-bench.mjs", ["--rollout", "500"]),
    postgres: runPgBench(run),
  };
  figures.machine = { date: new Date().toISOString().slice(0, 10), node: process.version, loadAverageBefore: loadBefore, loadAverageAfter: loadavg()[0] };
  return figures;
}

// A file saved with --json may hold other output before the figures (pnpm's, turbo's): they are the last JSON object.
const saved = (text) => JSON.parse(text.slice(text.search(/^\{\n {2}"core"/m)));
const runs = fromFiles.length > 0 ? fromFiles.map((file) => saved(readFileSync(file, "utf8"))) : [runAll()];

/** The table's rows for one run: [benchmark, ours, floor, ours/floor, target]. */
function tableRows(results) {
  const { core: c, migrate5k: m5, migrate20k: m20, startup: s, importFile: f, importClaude: ic, importRollout: ir } = results;
  const cf = c.floor ?? {};
  const ms = (v) => (typeof v === "number" ? `${v.toFixed(v >= 10 ? 1 : 2)} ms` : "n/a");
  const num = (v, unit = "") => (typeof v === "number" ? `${v.toLocaleString("en-US", { maximumFractionDigits: v >= 100 ? 0 : 1 })}${unit}` : "n/a");
  // ours / floor of the figure shown: for a time lower is better, for a rate higher.
  const times = (v) => (typeof v === "number" ? `${v.toFixed(2)}×` : "–");
  const ratio = (ours, floor) => (typeof ours === "number" && typeof floor === "number" && floor > 0 ? times(ours / floor) : "–");
  return [
    ["create a 1,000-message session", ms(c.create1000), ms(cf.create1000), ratio(c.create1000, cf.create1000), "–"],
    [`load a ${num(c.loadMessages)}-message session`, ms(c.load10000), ms(cf.load10000), ratio(c.load10000, cf.load10000), "≤ 1.25× the floor, ≤ 20 ms"],
    ["re-save it with 1 new message", ms(c.resave1), ms(cf.resave1), ratio(c.resave1, cf.resave1), "≤ 1.5× the floor, ≤ 2 ms"],
    ["  … as a full rewrite / incremental", `${num(c.resaveSpeedup, "×")} (${ms(c.fullRewrite)})`, "", "", "≥ 100×"],
    ["  … first re-save in a new process (no snapshot)", ms(c.resave1NoSnapshot), "", "", "–"],
    ["compact a 10,000-message session (marks, no delete)", ms(c.compact10000), "", "", "–"],
    ["  … then re-save it with 1 new message", ms(c.resaveCompacted), "", "", "≤ 2 ms"],
    ["  … undo the compaction", ms(c.undo10000), "", "", "–"],
    [`list 20 of ${num(c.sessionsForList)} sessions`, ms(c.list20), ms(cf.list20), ratio(c.list20, cf.list20), "≤ 2 ms"],
    [`search a rare word, ${num(c.searchMessages)} messages`, ms(c.searchRare), ms(cf.searchRare), ratio(c.searchRare, cf.searchRare), "≤ 10 ms"],
    [`search a common word (in ${num(c.searchCommonMatchingMessages)} messages)`, ms(c.searchCommon), ms(cf.searchCommon), ratio(c.searchCommon, cf.searchCommon), "≤ 10 ms"],
    ["core benchmark peak RSS (ours and the floor's stores in one process)", num(c.peakRssMB, " MB"), "", "", "–"],
    [`victor-migrate, ${num(m5.files)} legacy files (${num(m5.sourceMB, " MB")})`, num(m5.filesPerSecond, " files/s"), num(m5.floor?.filesPerSecond, " files/s"), ratio(m5.filesPerSecond, m5.floor?.filesPerSecond), "≥ 0.6× the floor"],
    ["  … peak RSS", num(m5.peakRssMB, " MB"), num(m5.floor?.peakRssMB, " MB"), "", "≤ 200 MB"],
    [`victor-migrate, ${num(m20.files)} legacy files (${num(m20.sourceMB, " MB")})`, num(m20.filesPerSecond, " files/s"), "", "", "–"],
    ["  … peak RSS", num(m20.peakRssMB, " MB"), "", "", "≤ 200 MB"],
    [`cold \`victor sessions list\`, ${num(s.sessions)} sessions (median of ${s.runs})`, ms(s.medianMs), `${ms(s.nodeMedianMs)} node -e 0`, times(s.ratio), "≤ 1.6× node -e 0"],
    ["  … against the floor's list (better-sqlite3, plain table)", ms(s.medianMs), ms(s.floorMedianMs), times(s.floorRatio), "–"],
    [`\`victor sessions import\`, a ${num(f.megabytes, " MB")} export (${num(f.sessions)} sessions)`, num(f.megabytesPerSecond, " MB/s"), num(f.floor?.megabytesPerSecond, " MB/s"), ratio(f.megabytesPerSecond, f.floor?.megabytesPerSecond), "≥ 50 MB/s"],
    ["  … peak RSS", num(f.peakRssMB, " MB"), num(f.floor?.peakRssMB, " MB"), "", "≤ 200 MB"],
    [`victor import, ${num(ic.files)} Claude Code sessions (${num(ic.megabytes, " MB")})`, `${num(ic.filesPerSecond, " files/s")} (${num(ic.megabytesPerSecond, " MB/s")})`, "", "", "–"],
    ["  … peak RSS", num(ic.peakRssMB, " MB"), "", "", "–"],
    [`victor import, one ${num(ir.megabytes, " MB")} Codex rollout`, num(ir.megabytesPerSecond, " MB/s"), "", "", "–"],
    ["  … peak RSS", num(ir.peakRssMB, " MB"), "", "", "≤ 200 MB"],
  ];
}

if (json) {
  console.log(JSON.stringify(runs.at(-1), null, 2));
} else {
  const tables = runs.map(tableRows);
  // Several runs: every run's ratio side by side (how well they agree), the last run's figures.
  const rows = tables.at(-1).map((row, i) => [row[0], row[1], row[2], tables.map((t) => t[i][3]).filter((r) => r !== "").join(" · "), row[4]]);
  const header = ["benchmark", "ours", "floor", "ours/floor", "target"];
  if (markdown) {
    console.log(`| benchmark | ours ÷ floor${runs.length > 1 ? ` (${runs.length} runs)` : ""} | target | ours | floor |\n| --- | ---: | --- | ---: | ---: |`);
    for (const [name, ours, floor, ratio, target] of rows) console.log(`| ${name} | ${ratio} | ${target} | ${ours} | ${floor} |`);
    const when = runs.map(({ machine: m }) => `${m.date} (load average ${m.loadAverageBefore.toFixed(1)} → ${m.loadAverageAfter.toFixed(1)})`);
    console.log(`\nMeasured with Node ${runs.at(-1).machine.node} on the 2-core development machine: ${when.join(", then ")}.`);
  } else {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells) => cells.map((cell, i) => (i === 0 || i === 4 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ").trimEnd();
    console.log(line(header));
    for (const row of rows) console.log(line(row));
  }
  for (const [name, r] of Object.entries(runs.at(-1))) if (r.error) console.log(`(${name}: ${r.error})`);
  // The PostgreSQL column (scripts/bench-pg.mjs): measured only when a server is named, else says why.
  if (runs.at(-1).postgres) {
    const table = pgTable(runs.at(-1).core, runs.at(-1).postgres);
    console.log(markdown ? `\n\`\`\`text\n${table}\n\`\`\`` : `\n${table}`);
  }
}

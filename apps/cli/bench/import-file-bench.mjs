#!/usr/bin/env node
// `victor sessions import FILE` of a large export: generates an export file of about --mb MB (the
// shape `victor sessions export` writes: a pretty-printed JSON array of session envelopes; each
// session 5–45 messages of prose, tool calls and code-like tool output), then imports it with the
// built binary into a fresh database, and with the floor (bench/floor/floor-import-file.mjs) into
// another. Each import runs in its own process (peak RSS is its own).
// Usage: node apps/cli/bench/import-file-bench.mjs [--mb N] [--keep]
// Prints JSON {megabytes, sessions, seconds, megabytesPerSecond, peakRssMB, floor: {…}}.
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { seededText } from "../../../bench/lib/text.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, "..", "bin", "victor.js");
const floorImport = join(here, "..", "..", "..", "bench", "floor", "floor-import-file.mjs");
const { values } = parseArgs({ options: { mb: { type: "string", default: "1024" }, keep: { type: "boolean" } } });
const target = Number(values.mb) * 1024 * 1024;

const { rand, chatWord, sentence } = seededText();
const code = (lines) => Array.from({ length: lines }, (_, i) => `${"  ".repeat(i % 4)}const ${chatWord()}_${i} = await ${chatWord()}.${chatWord()}(${chatWord()}, { ${chatWord()}: ${i} });`).join("\n");

function session(i) {
  const at = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
  const count = 5 + Math.floor(rand() * 41);
  const messages = [{ role: "system", content: `You are Victor. ${sentence(20)}` }];
  while (messages.length < count) {
    const k = messages.length % 4;
    if (k === 1) messages.push({ role: "user", content: sentence(10 + Math.floor(rand() * 30)) });
    else if (k === 2 && rand() < 0.5) {
      const id = `call_${i}_${messages.length}`;
      messages.push({ role: "assistant", content: "", tool_calls: [{ id, type: "function", function: { name: "read_file", arguments: JSON.stringify({ path: `src/${chatWord()}.ts` }) } }] });
      messages.push({ role: "tool", name: "read_file", tool_call_id: id, content: code(10 + Math.floor(rand() * 40)) });
    } else messages.push({ role: "assistant", content: Array.from({ length: 3 }, () => sentence(40)).join("\n\n") });
  }
  return {
    metadata: { session_id: `bench-${String(i).padStart(7, "0")}`, created_at: at, updated_at: at, model: "claude-sonnet-4", provider: "anthropic", profile: "default", message_count: messages.length, title: sentence(5), tags: [], title_is_custom: true, revision: 1, parent_id: null },
    conversation: { system_prompt: messages[0].content, messages },
    conversation_state: { stage: "EXECUTION", message_count: messages.length },
    tool_selection_stats: null,
  };
}

/** Runs `node args…`, which prints one JSON line with its own figures last on stdout. */
function child(args) {
  const r = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  const lines = r.stdout.trim().split("\n");
  return { ...JSON.parse(lines.at(-1)), output: lines.slice(0, -1).join("\n") };
}

const dir = mkdtempSync(join(tmpdir(), "victor-import-file-bench-"));
try {
  const file = join(dir, "export.json");
  const fd = openSync(file, "w");
  let bytes = writeSync(fd, "[\n");
  let sessions = 0;
  while (bytes < target) bytes += writeSync(fd, `${sessions ? ",\n" : ""}${JSON.stringify(session(sessions++), null, 2)}`);
  writeSync(fd, "\n]\n");
  closeSync(fd);
  const megabytes = statSync(file).size / 1024 / 1024;
  // The binary itself, its peak RSS reported at exit by a preloaded module (nothing else changes).
  const rss = join(dir, "report-rss.mjs");
  writeFileSync(rss, `import { performance } from "node:perf_hooks";\nprocess.on("exit", () => console.log(JSON.stringify({ seconds: performance.now() / 1000, peakRssMB: process.resourceUsage().maxRSS / 1024 })));\n`);
  const ours = child(["--import", rss, bin, "sessions", "import", file, "--db", join(dir, "ours.db")]);
  if (!ours.output.includes(`Imported ${sessions} sessions.`)) throw new Error(`victor sessions import said: ${ours.output}`);
  const floor = child([floorImport, file, join(dir, "floor.db")]);
  if (floor.imported !== sessions) throw new Error(`the floor imported ${floor.imported} of ${sessions}`);
  const figures = (r) => ({ seconds: Number(r.seconds.toFixed(1)), megabytesPerSecond: Number((megabytes / r.seconds).toFixed(1)), peakRssMB: Number(r.peakRssMB.toFixed(1)) });
  console.log(JSON.stringify({ megabytes: Math.round(megabytes), sessions, ...figures(ours), floor: figures(floor) }));
} finally {
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}

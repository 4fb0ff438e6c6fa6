#!/usr/bin/env node
// Generates other tools' session files into a temp dir, then imports them (through the library, in a
// fresh child process so the generator's memory does not count) into a fresh database.
//   --claude N     N Claude Code transcripts (default 1000): prints {files, megabytes, seconds, filesPerSecond, megabytesPerSecond, peakRssMB}
//   --rollout MB   one Codex rollout of about MB megabytes, written line by line (its biggest line is
//                  12 MB): prints {megabytes, seconds, megabytesPerSecond, peakRssMB, messages}
// Usage: node bench/import-bench.mjs [--claude N | --rollout MB] [--keep]
import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { seededText } from "../../../bench/lib/text.mjs";

const here = new URL(".", import.meta.url);
const PROJECT = "/home/bench/project";

if (process.argv[2] === "--child") {
  const [, , , tool, source, dbPath] = process.argv;
  // As `victor import` runs it (apps/cli/src/heap.ts): V8 collects before its heap doubles.
  (await import("node:v8")).setFlagsFromString("--heap-growing-percent=50");
  const { importSessionsFromTools } = await import(new URL("../dist/index.js", here).href);
  const t0 = performance.now();
  const report = await importSessionsFromTools({ tools: [tool], sources: [source], dbPath, cwd: PROJECT, env: {} });
  const seconds = (performance.now() - t0) / 1000;
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ seconds, peakRssMB, counts: report.counts, messages: report.messagesSent, failed: report.failed }));
  process.exit(0);
}

const { values } = parseArgs({ options: { claude: { type: "string" }, rollout: { type: "string" }, keep: { type: "boolean" } } });

const { rand, pick, chatWord, sentence } = seededText();
const paragraph = (n) => Array.from({ length: n }, () => sentence(8 + Math.floor(rand() * 20))).join(" ");

/** One Claude Code transcript of 10–60 lines: prompts, split replies, tool calls and results, metadata lines. */
function claudeTranscript(i) {
  const sid = `be0c0000-0000-4000-8000-${String(i).padStart(12, "0")}`;
  const lines = [];
  let parent = null;
  let n = 0;
  const t = Date.UTC(2026, 0, 1) + i * 60_000;
  const push = (type, message, extra = {}) => {
    const uuid = `${sid.slice(0, 8)}-${n}-${i}`;
    lines.push({ parentUuid: parent, isSidechain: false, userType: "external", cwd: PROJECT, sessionId: sid, version: "2.1.20", gitBranch: "main", type, message, uuid, timestamp: new Date(t + n * 1000).toISOString(), ...extra });
    parent = uuid;
    n++;
  };
  const turns = 2 + Math.floor(rand() * 8);
  for (let k = 0; k < turns; k++) {
    push("user", { role: "user", content: paragraph(1 + Math.floor(rand() * 3)) });
    const msg = `msg_${i}_${k}`;
    const reply = (content, stop) => ({ id: msg, type: "message", role: "assistant", model: "claude-opus-4-5-20251101", content, stop_reason: stop, usage: { input_tokens: 1200, output_tokens: 300 } });
    push("assistant", reply([{ type: "text", text: paragraph(2 + Math.floor(rand() * 4)) }], null));
    if (rand() < 0.6) {
      const id = `toolu_${i}_${k}`;
      push("assistant", reply([{ type: "tool_use", id, name: pick(["Read", "Bash", "Grep", "Edit"]), input: { file_path: `/home/bench/project/src/${chatWord()}.ts` } }], "tool_use"));
      lines.push({ type: "file-history-snapshot", messageId: `${sid}-${n}`, snapshot: { trackedFileBackups: {} }, isSnapshotUpdate: false });
      push("user", { role: "user", content: [{ type: "tool_result", tool_use_id: id, content: Array.from({ length: 20 + Math.floor(rand() * 60) }, () => sentence(12)).join("\n") }] });
      push("assistant", { id: `${msg}_b`, type: "message", role: "assistant", model: "claude-opus-4-5-20251101", content: [{ type: "text", text: paragraph(2) }], stop_reason: "end_turn" });
    }
  }
  lines.push({ type: "ai-title", aiTitle: sentence(4), sessionId: sid });
  return { sid, text: `${lines.map((l) => JSON.stringify(l)).join("\n")}\n` };
}

/** A Codex rollout of about `megabytes` MB, written line by line (never held in memory). */
function writeRollout(path, megabytes) {
  const fd = openSync(path, "w");
  const id = "019f0000-bench-7000-8000-000000000001";
  const ts = (s) => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString();
  const put = (line) => writeSync(fd, `${JSON.stringify(line)}\n`);
  put({ timestamp: ts(0), type: "session_meta", payload: { id, timestamp: ts(0), cwd: PROJECT, originator: "codex-tui", cli_version: "0.130.0", source: "cli", model_provider: "openai", base_instructions: { text: paragraph(200) } } });
  const target = megabytes * 1024 * 1024;
  const bigOutput = (mb) => `${"log line: ".repeat(Math.floor((mb * 1024 * 1024) / 10))}`;
  let s = 1;
  let hugeWritten = false;
  while (statSync(path).size < target) {
    put({ timestamp: ts(s), type: "turn_context", payload: { cwd: PROJECT, model: "gpt-5.5", approval_policy: "on-request", sandbox_policy: { type: "workspace-write" } } });
    put({ timestamp: ts(s), type: "response_item", payload: { type: "message", role: "user", content: [{ type: "input_text", text: paragraph(2) }] } });
    put({ timestamp: ts(s), type: "event_msg", payload: { type: "user_message", message: "…" } });
    for (let k = 0; k < 6; k++) {
      put({ timestamp: ts(s), type: "response_item", payload: { type: "reasoning", summary: [], encrypted_content: "gAAAA".repeat(400) } });
      const call = `call_${s}_${k}`;
      put({ timestamp: ts(s), type: "response_item", payload: { type: "function_call", name: "exec_command", arguments: JSON.stringify({ cmd: `rg -n ${chatWord()} src` }), call_id: call } });
      // Mostly ordinary outputs; now and then a 1–4 MB one, and once a 12 MB line.
      const output = !hugeWritten && s > 20 ? bigOutput(12) : rand() < 0.02 ? bigOutput(1 + Math.floor(rand() * 4)) : Array.from({ length: 40 }, () => sentence(14)).join("\n");
      if (output.length > 11 * 1024 * 1024) hugeWritten = true;
      put({ timestamp: ts(s), type: "response_item", payload: { type: "function_call_output", call_id: call, output } });
      put({ timestamp: ts(s), type: "event_msg", payload: { type: "token_count", info: { total_token_usage: { input_tokens: 1000 * s } } } });
    }
    put({ timestamp: ts(s), type: "response_item", payload: { type: "message", role: "assistant", content: [{ type: "output_text", text: paragraph(4) }] } });
    s++;
  }
  closeSync(fd);
}

function child(tool, source, dbPath) {
  const result = spawnSync(process.execPath, [new URL(import.meta.url).pathname, "--child", tool, source, dbPath], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (result.status !== 0) throw new Error(`bench child failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout);
}

const root = mkdtempSync(join(tmpdir(), "victor-import-bench-"));
try {
  const dbPath = join(root, "project.db");
  if (values.rollout !== undefined) {
    const megabytes = Number(values.rollout);
    if (!(megabytes > 0)) throw new Error("--rollout needs a size in MB");
    const dir = join(root, "codex", "sessions", "2026", "01", "01");
    mkdirSync(dir, { recursive: true });
    const path = join(dir, "rollout-2026-01-01T00-00-00-019f0000-bench-7000-8000-000000000001.jsonl");
    writeRollout(path, megabytes);
    const bytes = statSync(path).size;
    const r = child("codex", join(root, "codex"), dbPath);
    if (r.counts.imported !== 1) throw new Error(`expected 1 imported, got ${JSON.stringify(r)}`);
    const mb = bytes / 1024 / 1024;
    process.stdout.write(`${JSON.stringify({ megabytes: Math.round(mb), seconds: r.seconds, megabytesPerSecond: mb / r.seconds, peakRssMB: r.peakRssMB, messages: r.messages })}\n`);
  } else {
    const files = Number(values.claude ?? "1000");
    if (!Number.isInteger(files) || files < 1) throw new Error("--claude must be a positive integer");
    const dir = join(root, "claude", "-home-bench-project");
    mkdirSync(dir, { recursive: true });
    let bytes = 0;
    for (let i = 0; i < files; i++) {
      const { sid, text } = claudeTranscript(i);
      bytes += Buffer.byteLength(text);
      writeFileSync(join(dir, `${sid}.jsonl`), text);
    }
    const r = child("claude", join(root, "claude"), dbPath);
    if (r.counts.imported !== files) throw new Error(`expected ${files} imported, got ${JSON.stringify(r.counts)} ${JSON.stringify(r.failed.slice(0, 3))}`);
    const mb = bytes / 1024 / 1024;
    process.stdout.write(`${JSON.stringify({ files, megabytes: Math.round(mb * 10) / 10, seconds: r.seconds, filesPerSecond: files / r.seconds, megabytesPerSecond: mb / r.seconds, peakRssMB: r.peakRssMB })}\n`);
  }
} finally {
  if (values.keep) process.stderr.write(`kept ${root}\n`);
  else rmSync(root, { recursive: true, force: true });
}

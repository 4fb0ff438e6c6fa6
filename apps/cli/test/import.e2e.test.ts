import { runNode } from "@victor/test-utils";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VICTOR_BIN, chatRig, type ChatRig } from "./chat/harness.js";

const CLAUDE_ID = "5e551011-0000-4000-8000-000000000001";
const CODEX_ID = "019f0000-0000-7000-8000-000000000002";

/** One session per tool, recorded in the project's folder, where each tool keeps them under HOME. */
function seedOtherTools(home: string, project: string): string {
  const claudeDir = join(home, ".claude", "projects", project.replace(/[^A-Za-z0-9]/g, "-"));
  mkdirSync(claudeDir, { recursive: true });
  const base = { isSidechain: false, userType: "external", cwd: project, sessionId: CLAUDE_ID, version: "2.1.20", gitBranch: "main" };
  const claudeFile = join(claudeDir, `${CLAUDE_ID}.jsonl`);
  writeFileSync(
    claudeFile,
    [
      { ...base, parentUuid: null, type: "user", uuid: "u1", timestamp: "2026-01-10T09:00:00.000Z", message: { role: "user", content: "Why is the checkout test flaky?" } },
      { ...base, parentUuid: "u1", type: "assistant", uuid: "a1", timestamp: "2026-01-10T09:00:05.000Z", message: { id: "msg_1", role: "assistant", model: "claude-opus-4-5-20251101", content: [{ type: "text", text: "Let me run it." }, { type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "pnpm test checkout" } }] } },
      { ...base, parentUuid: "a1", type: "user", uuid: "r1", timestamp: "2026-01-10T09:00:09.000Z", message: { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "1 failed: timeout after 5000 ms" }] } },
      { ...base, parentUuid: "r1", type: "assistant", uuid: "a2", timestamp: "2026-01-10T09:00:12.000Z", message: { id: "msg_2", role: "assistant", model: "claude-opus-4-5-20251101", content: [{ type: "text", text: "It waits on a real clock; fake the timers." }] } },
    ]
      .map((l) => JSON.stringify(l))
      .join("\n") + "\n",
  );
  const codexDir = join(home, ".codex", "sessions", "2026", "01", "11");
  mkdirSync(codexDir, { recursive: true });
  const ts = "2026-01-11T10:00:00.000Z";
  writeFileSync(
    join(codexDir, `rollout-2026-01-11T10-00-00-${CODEX_ID}.jsonl`),
    [
      { timestamp: ts, type: "session_meta", payload: { id: CODEX_ID, timestamp: ts, cwd: project, originator: "codex-tui", cli_version: "0.130.0", source: "cli", model_provider: "openai" } },
      { timestamp: ts, type: "turn_context", payload: { cwd: project, model: "gpt-5.5" } },
      { timestamp: ts, type: "response_item", payload: { type: "message", role: "user", content: [{ type: "input_text", text: "Bump the lockfile" }] } },
      { timestamp: ts, type: "response_item", payload: { type: "message", role: "assistant", content: [{ type: "output_text", text: "Bumped." }] } },
    ]
      .map((l) => JSON.stringify(l))
      .join("\n") + "\n",
  );
  const geminiDir = join(home, ".gemini", "tmp", "work");
  mkdirSync(join(geminiDir, "chats"), { recursive: true });
  writeFileSync(join(geminiDir, ".project_root"), project);
  writeFileSync(
    join(geminiDir, "chats", "session-2026-01-12T08-00-aabbccdd.jsonl"),
    [
      { sessionId: "aabbccdd-0000-4000-8000-000000000003", projectHash: "x", startTime: "2026-01-12T08:00:00.000Z", lastUpdated: "2026-01-12T08:00:09.000Z", kind: "main" },
      { id: "u1", timestamp: "2026-01-12T08:00:01.000Z", type: "user", content: [{ text: "Explain the deploy script" }] },
      { id: "g1", timestamp: "2026-01-12T08:00:09.000Z", type: "gemini", content: [{ text: "It builds, then rsyncs." }], model: "gemini-2.5-pro" },
    ]
      .map((l) => JSON.stringify(l))
      .join("\n") + "\n",
  );
  return claudeFile;
}

describe("victor import (end to end)", () => {
  let rig: ChatRig;
  let work: string;
  let claudeFile: string;
  const victor = (args: string[]) => runNode(VICTOR_BIN, args, { cwd: work, env: rig.env });

  beforeAll(async () => {
    rig = await chatRig();
    work = rig.project.join("work");
    claudeFile = seedOtherTools(rig.home, work);
  });
  afterAll(() => rig.cleanup());

  it("victor chat mentions the sessions of other tools once; after victor import it does not", async () => {
    const before = await rig.chat(["/exit"]);
    expect(before.stderr).toContain("Found 3 sessions of other AI coding tools not imported yet (Claude Code: 1, Codex CLI: 1, gemini-cli: 1): run `victor import` to bring them in.");
    const run = await victor(["import", "--json"]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.counts).toMatchObject({ imported: 3, failed: 0 });
    expect(report.sessions.map((s: { session_id: string }) => s.session_id).sort()).toEqual([`claude-${CLAUDE_ID}`, "codex-019f0000-0000-7000-8000-000000000002", "gemini-aabbccdd-0000-4000-8000-000000000003"]);
    const after = await rig.chat(["/exit"]);
    expect(after.stderr).not.toContain("other AI coding tools");
  });

  it("finds an imported conversation with search, and resumes it with another model, tool calls included", async () => {
    const found = await victor(["sessions", "search", "flaky", "--json"]);
    expect(JSON.parse(found.stdout).map((r: { session_id: string }) => r.session_id)).toEqual([`claude-${CLAUDE_ID}`]);
    const shown = JSON.parse((await victor(["sessions", "show", `claude-${CLAUDE_ID}`, "--json"])).stdout);
    expect(shown.metadata).toMatchObject({ title: "Why is the checkout test flaky?", provider: "anthropic", model: "claude-opus-4-5-20251101", created_at: "2026-01-10T09:00:00.000Z" });
    expect(shown.conversation.messages.map((m: { role: string; content: string }) => [m.role, m.content])).toEqual([
      ["user", "Why is the checkout test flaky?"],
      ["assistant", "Let me run it."],
      ["tool", "1 failed: timeout after 5000 ms"],
      ["assistant", "It waits on a real clock; fake the timers."],
    ]);
    const chat = await rig.chat(["Does faking the timers fix it?"], ["--resume", `claude-${CLAUDE_ID}`, "--provider", "openai", "--model", "gpt-4o"]);
    expect(chat.code).toBe(0);
    const sent = rig.openai.requests.at(-1)!.body.messages as { role: string; tool_calls?: { id: string }[]; tool_call_id?: string }[];
    expect(sent.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant", "user"]);
    expect(sent[1]!.tool_calls!.map((c) => c.id)).toEqual(["toolu_1"]);
    expect(sent[2]!.tool_call_id).toBe("toolu_1");
  });

  it("a second run a week later brings in only what is new", async () => {
    appendFileSync(claudeFile, `${JSON.stringify({ isSidechain: false, cwd: work, sessionId: CLAUDE_ID, parentUuid: "a2", type: "user", uuid: "u2", timestamp: "2026-01-17T09:00:00.000Z", message: { role: "user", content: "It is flaky again" } })}\n`);
    const run = await victor(["import", "claude"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/│ updated\s+│ 1 /);
    expect(run.stdout).toContain("1 session brought up to date; 2 messages sent (only new and changed ones).");
  });

  it("usage errors exit 2; a file nothing could be read from is listed and exits 3", async () => {
    const usage = await victor(["import", "--source", "somewhere"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--source reads one tool's files: name it");
    const bad = rig.project.join("bad");
    mkdirSync(join(bad, "p"), { recursive: true });
    writeFileSync(join(bad, "p", "broken.jsonl"), "{not json\n");
    const run = await victor(["import", "claude", "--source", bad]);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain("Failed (1):");
    expect(run.stderr).toContain("1 file could not be imported (listed above); the others were.");
  });
});

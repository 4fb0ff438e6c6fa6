import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const CLAUDE_ID = "5e551011-0000-4000-8000-000000000001";
export const CODEX_ID = "019f0000-0000-7000-8000-000000000002";

/** One session per tool, recorded in the project's folder, where each tool keeps them under HOME. */
export function seedOtherTools(home: string, project: string): string {
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

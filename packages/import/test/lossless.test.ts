import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLAUDE, CODEX, GEMINI, cleanup, runImport, session, tempDir } from "./helpers.js";
import { rebuildRecords } from "./rebuild.js";

/** Every line of a file that parses, in order. */
function parsedLines(path: string): unknown[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .flatMap((line) => {
      try {
        return [JSON.parse(line)];
      } catch {
        return [];
      }
    });
}

const claudeDir = join(CLAUDE, "-home-dev-demo-app");
const CODEX_IMPORTS: Record<string, string> = {
  "sessions/2026/05/05/rollout-2026-05-05T18-28-34-019df7ae-b036-76c2-a499-fe10385d955a.jsonl": "codex-019df7ae-b036-76c2-a499-fe10385d955a",
  "sessions/2025/08/28/rollout-2025-08-28T09-15-02-5973b6c0-94b8-487b-a530-2aeb6098ae0e.jsonl": "codex-5973b6c0-94b8-487b-a530-2aeb6098ae0e",
  "sessions/2026/05/06/rollout-2026-05-06T09-00-00-019e1000-aaaa-7bbb-8ccc-000000000003.jsonl": "codex-019e1000-aaaa-7bbb-8ccc-000000000003",
  "archived_sessions/rollout-2026-02-01T08-00-00-019d0000-bbbb-7ccc-8ddd-000000000006.jsonl": "codex-019d0000-bbbb-7ccc-8ddd-000000000006",
  "sessions/2026/01/15/rollout-2026-01-15T09-00-00-019bc000-aaaa-7bbb-8ccc-000000000009.jsonl": "codex-019bc000-aaaa-7bbb-8ccc-000000000009",
};

describe("lossless: the source records can be rebuilt from the stored messages", () => {
  let dbPath: string;
  beforeAll(async () => {
    dbPath = tempDir().join("project.db");
    await runImport(dbPath, { tools: ["claude"], sources: [CLAUDE], allProjects: true });
    await runImport(dbPath, { tools: ["codex"], sources: [CODEX], allProjects: true });
    await runImport(dbPath, { tools: ["gemini"], sources: [GEMINI], allProjects: true });
  });
  afterAll(cleanup);

  it.each(readdirSync(claudeDir).filter((f) => f.endsWith(".jsonl") && !f.startsWith("agent-") && !f.endsWith("7.jsonl")))(
    "Claude Code %s: every line that parses, in file order (branches, sidechains, replays, metadata included)",
    async (name) => {
      const stored = await session(dbPath, `claude-${name.replace(".jsonl", "")}`);
      expect(rebuildRecords(stored.conversation.messages, "claude")).toEqual(parsedLines(join(claudeDir, name)));
    },
  );

  it("Claude Code subagent transcripts too", async () => {
    const stored = await session(dbPath, "claude-a1b2c3d4-0000-4000-8000-000000000005.agent-websurv1");
    expect(rebuildRecords(stored.conversation.messages, "claude")).toEqual(parsedLines(join(claudeDir, "a1b2c3d4-0000-4000-8000-000000000005/subagents/agent-websurv1.jsonl")));
  });

  it.each(Object.entries(CODEX_IMPORTS))("Codex %s: every line but the event_msg repeats and unknown types", async (file, id) => {
    const stored = await session(dbPath, id);
    const expected = parsedLines(join(CODEX, file)).filter((l) => {
      const type = (l as { type?: string }).type;
      return type !== "event_msg" && type !== "future_line_type";
    });
    expect(rebuildRecords(stored.conversation.messages, "codex")).toEqual(expected);
  });

  it("Codex one-document rollout: the document's head, then every item", async () => {
    const doc = JSON.parse(readFileSync(join(CODEX, "sessions/rollout-2025-04-20-2f1c9a0e-1111-4222-8333-444455556666.json"), "utf8"));
    const dry = tempDir().join("p.db");
    await runImport(dry, { tools: ["codex"], sources: [join(CODEX, "sessions")], allProjects: true });
    const stored = await session(dry, "codex-2f1c9a0e-1111-4222-8333-444455556666");
    const [head, ...items] = rebuildRecords(stored.conversation.messages, "codex");
    expect({ ...(head as object), items }).toEqual(doc);
  });

  it("gemini-cli: the final version of each record, rewound ones and notes kept; the metadata under the session", async () => {
    const file = join(GEMINI, "demo-app/chats/session-2026-01-05T10-00-8f3a1c52.jsonl");
    const lines = parsedLines(file) as Record<string, unknown>[];
    const lastVersion = (id: string) => lines.filter((l) => l.id === id).at(-1);
    const stored = await session(dbPath, "gemini-8f3a1c52-7d4e-4b1a-9c0e-5d6f7a8b9c01");
    const records = rebuildRecords(stored.conversation.messages, "gemini");
    expect(records).toEqual([
      lastVersion("u-0001"),
      lastVersion("c1d2e3f4-0001"),
      lastVersion("g-0002"),
      // Rewound with /rewind: kept with the message before the rewind point, and the rewind itself.
      lastVersion("u-0003"),
      lastVersion("g-0004"),
      lastVersion("i-0005"),
      { $rewindTo: "u-0003" },
      lastVersion("u-0006"),
      lastVersion("g-0007"),
      lastVersion("e-0008"),
    ]);
    expect(stored.metadata.gemini).toEqual({
      sessionId: "8f3a1c52-7d4e-4b1a-9c0e-5d6f7a8b9c01",
      projectHash: (lines[0] as { projectHash: string }).projectHash,
      startTime: "2026-01-05T10:00:00.000Z",
      lastUpdated: "2026-01-05T10:03:10.000Z",
      kind: "main",
      summary: "Fix N+1 in nightly export",
    });
  });

  it("gemini-cli checkpoints: each history entry, and the document's other keys", async () => {
    const doc = JSON.parse(readFileSync(join(GEMINI, "demo-app/checkpoint-v2.json"), "utf8"));
    const stored = await session(dbPath, "gemini-demo-app.checkpoint-v2");
    const [head, ...history] = rebuildRecords(stored.conversation.messages, "gemini");
    expect({ ...(head as object), history }).toEqual(doc);
  });
});

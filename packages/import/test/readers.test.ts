import type { Message } from "@victor/core";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImportReport } from "../src/index.js";
import { CLAUDE, CODEX, GEMINI, PROJECT, cleanup, copyFixtures, openStore, runImport, session, tempDir, toolPairsIntact } from "./helpers.js";

afterAll(cleanup);

const contents = (messages: readonly Message[]) => messages.map((m) => [m.role, m.content]);
const calls = (m: Message) => (m.tool_calls as { id: string; function: { name: string; arguments: string } }[]).map((c) => [c.id, c.function.name, c.function.arguments]);

describe("Claude Code transcripts", () => {
  let dbPath: string;
  let report: ImportReport;
  const id = (n: number) => `claude-a1b2c3d4-0000-4000-8000-00000000000${n}`;
  beforeAll(async () => {
    dbPath = tempDir().join("p.db");
    report = await runImport(dbPath, { tools: ["claude"], sources: [CLAUDE] });
  });

  it("follows the newest leaf through a rewind and a compaction; the compaction summary stays a message", async () => {
    const s = await session(dbPath, id(1));
    expect(contents(s.conversation.messages)).toEqual([
      ["user", "Plan the auth refactor for the billing service"],
      ["assistant", "Ready. Where do tokens live today?"],
      ["user", "Second attempt: use short-lived JWTs"],
      ["assistant", "JWTs with rotation, then."],
      ["user", "Keep going"],
      ["assistant", "Kept going: rotation every 15 minutes."],
      ["user", "This session is being continued from a previous conversation that ran out of context. Summary: the user chose short-lived JWTs with rotation."],
      ["user", "After compaction: write the migration"],
      ["assistant", "Migration written."],
    ]);
    const boundary = (s.conversation.messages[5]!.claude as { subtype?: string }[]).find((r) => r.subtype === "compact_boundary");
    expect(boundary).toMatchObject({ logicalParentUuid: "b2a2", compactMetadata: { trigger: "manual" } });
    expect((s.conversation.messages[6]!.claude as { isCompactSummary?: boolean }[])[0]!.isCompactSummary).toBe(true);
  });

  it("keeps ids, provider, model, folder and the original times", async () => {
    const s = await session(dbPath, id(1));
    expect(s.metadata).toMatchObject({
      session_id: id(1),
      provider: "anthropic",
      model: "claude-sonnet-4-5-20250929",
      created_at: "2025-07-01T09:59:59.000Z",
      updated_at: "2025-07-01T10:41:00.000Z",
      imported_from: { tool: "claude", cwd: PROJECT, git_branch: "main", version: "2.1.20", id: "a1b2c3d4-0000-4000-8000-000000000001" },
    });
  });

  it("titles: the last custom title, else the AI title, else a summary, else the first typed text", async () => {
    expect((await session(dbPath, id(1))).metadata.title).toBe("Billing auth: JWT migration");
    // Command echoes and caveats are not what the person typed.
    expect((await session(dbPath, id(2))).metadata.title).toBe("Why does the upload fail? Screenshot attached.");
    const source = copyFixtures(CLAUDE);
    const file = join(source, "-home-dev-demo-app", "a1b2c3d4-0000-4000-8000-000000000001.jsonl");
    const lines = readFileSync(file, "utf8").split("\n");
    const titleOf = async (keep: (l: string) => boolean) => {
      writeFileSync(file, lines.filter(keep).join("\n"));
      const db = tempDir().join("t.db");
      await runImport(db, { tools: ["claude"], sources: [source] });
      return (await session(db, id(1))).metadata.title;
    };
    expect(await titleOf((l) => !l.includes('"custom-title"'))).toBe("Auth refactor plan");
    expect(await titleOf((l) => !l.includes('"custom-title"') && !l.includes('"ai-title"'))).toBe("Auth refactor with JWTs");
    expect(await titleOf((l) => !l.includes('"custom-title"') && !l.includes('"ai-title"') && !l.includes('"summary"'))).toBe("Plan the auth refactor for the billing service");
  });

  it("one reply streamed over several lines is one message; a replayed line is not repeated; tool pairs stay intact", async () => {
    const messages = (await session(dbPath, id(2))).conversation.messages;
    expect(messages.map((m) => m.role)).toEqual(["user", "user", "user", "assistant", "tool", "tool", "assistant", "tool", "user", "user", "assistant"]);
    const reply = messages[3]!;
    expect(reply.content).toBe("Let me look at the upload handler and the nginx config.");
    expect(calls(reply)).toEqual([
      ["toolu_01Read", "Read", '{"file_path":"/home/dev/demo-app/src/upload.ts"}'],
      ["toolu_01Grep", "Grep", '{"pattern":"client_max_body_size","path":"deploy"}'],
    ]);
    // Its four lines are kept with it, thinking included.
    expect((reply.claude as { uuid: string }[]).map((r) => r.uuid)).toEqual(["m3", "m4", "m5", "m6", "pg1"]);
    expect(messages[4]).toMatchObject({ role: "tool", tool_call_id: "toolu_01Read", name: "Read" });
    expect(messages.filter((m) => m.tool_call_id === "toolu_01Read")).toHaveLength(1);
    // A rejected tool call and the interruption note in the same line: the result first, then the text.
    expect(contents(messages.slice(7, 9))).toEqual([
      ["tool", "The user doesn't want to proceed with this tool use. The tool use was rejected."],
      ["user", "[Request interrupted by user for tool use]"],
    ]);
    for (const n of [1, 2, 3, 5, 8]) expect(toolPairsIntact((await session(dbPath, id(n))).conversation.messages)).toBe(true);
  });

  it("parallel tool calls: the reply's sibling lines and their results, off the walked branch, are one reply and its tool messages", async () => {
    // Claude Code writes each tool_use of a reply as its own line and parents each result on the line of its own call.
    const s = await session(dbPath, "claude-a1b2c3d4-0000-4000-8000-000000000010");
    const messages = s.conversation.messages;
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant", "tool", "tool", "assistant"]);
    expect(messages[1]!.content).toBe("Running both in parallel.");
    expect(calls(messages[1]!)).toEqual([
      ["toolu_01Test", "Bash", '{"command":"pnpm test","description":"Run the tests"}'],
      ["toolu_01Lint", "Read", '{"file_path":"/home/dev/demo-app/eslint.config.js"}'],
    ]);
    expect(messages.slice(2, 4).map((m) => [m.tool_call_id, m.content])).toEqual([
      ["toolu_01Lint", "export default [js.configs.recommended];"],
      ["toolu_01Test", "Tests: 42 passed, 42 total"],
    ]);
    expect(toolPairsIntact(messages)).toBe(true);
    expect(report.notes.filter((n) => n.path.endsWith("000000000010.jsonl"))).toEqual([]);
  });

  it("keeps a pasted image as the block it was (base64, not decoded into text)", async () => {
    const message = (await session(dbPath, id(2))).conversation.messages[2]!;
    expect(message.content).toBe("Why does the upload fail? Screenshot attached.");
    const record = (message.claude as { message: { content: unknown[] } }[])[0]!;
    expect(record.message.content[1]).toMatchObject({ type: "image", source: { type: "base64", media_type: "image/png" } });
  });

  it("subagents: a file of their own is a session whose parent is the main one; inline sidechain lines stay records", async () => {
    const agent = await session(dbPath, `${id(5)}.agent-websurv1`);
    expect(agent.metadata).toMatchObject({ parent_id: id(5), title: "Survey the web module", imported_from: { agent: { agentType: "general-purpose", toolUseId: "toolu_sa_agent" } } });
    expect(contents(agent.conversation.messages)).toEqual([
      ["user", "Survey src/web and report its layout."],
      ["assistant", "## The web module\n\nPages render in a **column layout**."],
    ]);
    expect((await session(dbPath, `${id(3)}.agent-e1c84ba5`)).metadata.parent_id).toBe(id(3));
    expect((await session(dbPath, id(3))).conversation.messages.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant"]);
    expect(report.notes).toContainEqual({ path: join(CLAUDE, "-home-dev-demo-app", "a1b2c3d4-0000-4000-8000-000000000003.jsonl"), note: expect.stringMatching(/^2 sidechain \(subagent\) lines kept/) });
  });

  it("a transcript without parentUuid fields reads in file order; a summary-only file is not a session", async () => {
    expect(contents((await session(dbPath, id(8))).conversation.messages).map(([role]) => role)).toEqual(["user", "assistant", "tool", "assistant"]);
    expect(await (await openStore(dbPath)).hasSession(id(7))).toBe(false);
    expect(report.ignored["no-conversation"]).toBe(1);
  });

  it("a 12 MB tool output on a single line imports whole", async () => {
    const dir = tempDir();
    const big = "x".repeat(12 * 1024 * 1024);
    const base = { isSidechain: false, cwd: PROJECT, sessionId: "big", version: "2.1.20", timestamp: "2026-03-01T10:00:00.000Z" };
    writeFileSync(
      dir.join("big.jsonl"),
      [
        { ...base, type: "user", uuid: "u", parentUuid: null, message: { role: "user", content: "Dump the log" } },
        { ...base, type: "assistant", uuid: "a", parentUuid: "u", message: { id: "m", role: "assistant", content: [{ type: "tool_use", id: "t", name: "Bash", input: { command: "cat big.log" } }] } },
        { ...base, type: "user", uuid: "r", parentUuid: "a", message: { role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: big }] } },
      ]
        .map((l) => JSON.stringify(l))
        .join("\n") + "\n",
    );
    const db = tempDir().join("big.db");
    const r = await runImport(db, { tools: ["claude"], sources: [dir.path] });
    expect(r.counts.imported).toBe(1);
    const messages = (await session(db, "claude-big")).conversation.messages;
    expect((messages[2]!.content as string).length).toBe(big.length);
    // Written in parts; the last one replaced the "partial" ledger row with the file's own (the
    // update of the session the earlier parts built).
    expect(await (await openStore(db)).ledger.get(dir.join("big.jsonl"))).toMatchObject({ outcome: "updated", sessionId: "claude-big", revision: expect.any(Number) });
  });
});

describe("Codex CLI rollouts", () => {
  let dbPath: string;
  let report: ImportReport;
  const ID1 = "codex-019df7ae-b036-76c2-a499-fe10385d955a";
  beforeAll(async () => {
    dbPath = tempDir().join("p.db");
    report = await runImport(dbPath, { tools: ["codex"], sources: [CODEX] });
  });

  it("a reply and the calls after it are one message; each output a tool message; the model from turn_context", async () => {
    const s = await session(dbPath, ID1);
    const m = s.conversation.messages;
    expect(m.map((x) => x.role)).toEqual(["developer", "user", "user", "assistant", "tool", "tool", "assistant", "tool", "assistant", "tool", "assistant", "user", "user", "assistant"]);
    expect(calls(m[3]!)).toEqual([
      ["call_ahWfyuXHFSa3HIH5", "exec_command", `{"cmd": "sed -n '1,80p' jobs/export.py", "workdir": "/home/dev/demo-app", "yield_time_ms": 1000}`],
      ["call_Rg2", "exec_command", `{"cmd": "rg -n 'SELECT' jobs/export.py"}`],
    ]);
    // Older outputs were {content, success}; the text is the content.
    expect(m[5]).toMatchObject({ role: "tool", tool_call_id: "call_Rg2", name: "exec_command", content: "12:        rows = db.query('SELECT * FROM orders WHERE user_id = %s', user.id)" });
    // apply_patch is a custom tool: its input is the patch text, not JSON.
    expect(calls(m[6]!)[0]![2]).toMatch(/^\*\*\* Begin Patch\n/);
    // An image in a tool output stays an image part in the record.
    expect(m[9]!.content).toBe("query plan screenshot");
    expect(JSON.stringify(m[9]!.codex)).toContain("data:image/png;base64,");
    expect(m[11]).toMatchObject({ role: "user", content: "Summary: the export job ran an N+1 query; it now runs one ordered query." });
    expect(toolPairsIntact(m)).toBe(true);
    expect(s.metadata).toMatchObject({ model: "gpt-5.5", provider: "openai", title: "Nightly export N+1", created_at: "2026-05-05T10:28:34.000Z", imported_from: { cwd: PROJECT, cli_version: "0.128.0" } });
  });

  it("event_msg lines and unknown line types are skipped and counted", () => {
    const notes = report.notes.filter((n) => n.path.endsWith("fe10385d955a.jsonl")).map((n) => n.note);
    expect(notes).toEqual(["skipped 7 event_msg lines (they repeat the conversation for the UI)", "skipped lines of an unknown type: future_line_type (1)"]);
  });

  it("a thread rollback takes the rolled-back turn out; a remote compaction (no summary) makes no message", async () => {
    const id = "codex-019bc000-aaaa-7bbb-8ccc-000000000009";
    const s = await session(dbPath, id);
    const m = s.conversation.messages;
    expect(contents(m)).toEqual([
      ["user", expect.stringMatching(/^<environment_context>/)],
      ["user", "Which jobs run at night?"],
      ["assistant", ""],
      ["tool", "Exit code: 0\nWall time: 0 seconds\nOutput:\ncleanup.py\nexport.py\n"],
      ["assistant", "Two: export.py and cleanup.py."],
      // "Delete cleanup.py", its call and reply were rolled back (Esc Esc in the TUI): Codex resumes without them.
      ["user", "What does cleanup.py delete?"],
      ["assistant", "Export files older than 7 days."],
      ["user", "Is this the cron schedule?"],
      ["assistant", "Yes: both jobs at 02:00."],
    ]);
    expect(toolPairsIntact(m)).toBe(true);
    // The rolled-back lines are kept, whole, with the message before the rollback; so is the compaction.
    const kept = (m[4]!.codex as { payload?: { call_id?: string; content?: { text?: string }[] } }[]).map((r) => r.payload?.call_id ?? r.payload?.content?.[0]?.text);
    expect(kept).toEqual(expect.arrayContaining(["Delete cleanup.py", "call_rm1", "Deleted jobs/cleanup.py."]));
    expect(JSON.stringify(m[6]!.codex)).toContain('"type":"compacted"');
    // The image the person attached stays an image part in the record.
    expect(JSON.stringify(m[7]!.codex)).toContain("data:image/png;base64,");
    expect(s.metadata).toMatchObject({ model: "gpt-5.2-codex", created_at: "2026-01-15T09:00:00.000Z", updated_at: "2026-01-15T09:21:05.000Z", imported_from: { cwd: PROJECT, cli_version: "0.80.0" } });
    expect(report.notes).toContainEqual({ path: expect.stringMatching(/000000000009\.jsonl$/), note: "4 lines of turns Codex rolled back kept with the message before them, not as messages" });
  });

  it("forks and subagents name their parent; a fork keeps the history it copied", async () => {
    const fork = await session(dbPath, "codex-019e1000-aaaa-7bbb-8ccc-000000000003");
    expect(fork.metadata).toMatchObject({ parent_id: ID1, model: "gpt-5.5-codex" });
    expect(fork.conversation.messages.map((m) => m.content)).toEqual(["Why is the nightly export job slow?", "It ran one query per user (N+1).", "Would a cursor be better than one big query?", "Yes for memory: stream with a server-side cursor."]);
    expect((await session(dbPath, "codex-019e1000-aaaa-7bbb-8ccc-000000000004")).metadata.parent_id).toBe(ID1);
  });

  it("the 2025 bare format: cwd from <environment_context>, the title after '## My request for Codex:', local_shell calls", async () => {
    const s = await session(dbPath, "codex-5973b6c0-94b8-487b-a530-2aeb6098ae0e");
    expect(s.metadata).toMatchObject({ title: "Rename the cli flag --out to --output", created_at: "2025-08-28T07:15:02.651Z", imported_from: { cwd: PROJECT } });
    const call = s.conversation.messages.find((m) => Array.isArray(m.tool_calls))!;
    expect(calls(call)[0]!.slice(0, 2)).toEqual(["call_sh1", "local_shell"]);
    expect(toolPairsIntact(s.conversation.messages)).toBe(true);
  });

  it("archived sessions, titles from session_index.jsonl, a damaged line reported with its number", async () => {
    const s = await session(dbPath, "codex-019d0000-bbbb-7ccc-8ddd-000000000006");
    expect(s.metadata.title).toBe("cleanup.py question");
    expect(s.conversation.messages.map((m) => m.content)).toEqual(["What does cleanup.py delete?", "Temporary export files older than 7 days.", "Thanks"]);
    expect(report.issues).toEqual([{ path: join(CODEX, "archived_sessions/rollout-2026-02-01T08-00-00-019d0000-bbbb-7ccc-8ddd-000000000006.jsonl"), line: 5, reason: expect.stringMatching(/^not JSON/) }]);
  });

  it("compressed rollouts are recognised and named, not read; a session without a folder needs --all-projects", async () => {
    expect(report.ignored).toMatchObject({ compressed: 1, "other-project": 2 });
    const all = await runImport(tempDir().join("all.db"), { tools: ["codex"], sources: [CODEX], allProjects: true });
    expect(all.sessions.map((s) => s.sessionId)).toContain("codex-2f1c9a0e-1111-4222-8333-444455556666");
  });
});

describe("gemini-cli sessions", () => {
  let dbPath: string;
  let report: ImportReport;
  const ID = "gemini-8f3a1c52-7d4e-4b1a-9c0e-5d6f7a8b9c01";
  beforeAll(async () => {
    dbPath = tempDir().join("p.db");
    report = await runImport(dbPath, { tools: ["gemini"], sources: [GEMINI] });
  });

  it("replays the log: the last version of each record in its first place, rewinds applied, notes not messages", async () => {
    const s = await session(dbPath, ID);
    expect(contents(s.conversation.messages)).toEqual([
      ["user", "Why is the nightly export slow?"],
      ["assistant", ""],
      ["tool", "def export():\n    for user in User.all():\n        rows = db.query(...)\n"],
      ["assistant", "It runs one query per user (N+1). Batch it."],
      ["user", "Batch it with one ordered query"],
      ["assistant", "Done: one query ordered by user_id."],
    ]);
    expect((s.conversation.messages[1]!.gemini as { tokens: unknown }[])[0]!.tokens).toMatchObject({ total: 5418 });
    expect(s.metadata).toMatchObject({ title: "Fix N+1 in nightly export", model: "gemini-2.5-flash", provider: "google", created_at: "2026-01-05T10:00:00.000Z", updated_at: "2026-01-05T10:03:10.000Z", imported_from: { cwd: PROJECT, project: "demo-app" } });
    expect(toolPairsIntact(s.conversation.messages)).toBe(true);
    expect(report.notes).toContainEqual({ path: join(GEMINI, "demo-app/chats/session-2026-01-05T10-00-8f3a1c52.jsonl"), note: "3 rewound messages kept with the message before the rewind, not as messages" });
  });

  it("thought parts are not the reply: a thought-only turn has no text; a binary info record stays a note", async () => {
    const s = await session(dbPath, "gemini-c0ffee00-0000-4000-8000-000000000001");
    expect(contents(s.conversation.messages)).toEqual([
      ["user", "Look at logo.png"],
      ["assistant", ""],
      ["tool", "Binary content provided (1 item(s))."],
      ["assistant", ""],
      ["assistant", "It is a blue square."],
    ]);
    const synthetic = s.conversation.messages[3]!.gemini as { content: { thought?: boolean; text: string }[]; type: string }[];
    expect(synthetic[0]!.content[0]).toMatchObject({ thought: true, text: "Binary content received. Proceeding with analysis." });
    expect(synthetic[1]).toMatchObject({ type: "info", content: [{ inlineData: { mimeType: "image/png" } }] });
    expect(s.metadata).toMatchObject({ model: "gemini-3-pro-preview", created_at: "2026-05-01T10:00:00.000Z", updated_at: "2026-05-01T10:00:05.000Z" });
  });

  it("a $set messages checkpoint replaces the conversation; subagents name their parent", async () => {
    expect(contents((await session(dbPath, "gemini-6a7b8c9d-0000-4000-8000-000000000003")).conversation.messages)).toEqual([
      ["user", "Summarise the README"],
      ["assistant", "A demo app with a nightly export job."],
    ]);
    expect((await session(dbPath, "gemini-0b1c2d3e-sub1")).metadata.parent_id).toBe(ID);
  });

  it("the older one-document .json; a .json a resume converted to .jsonl counts once, as the .jsonl", async () => {
    expect((await session(dbPath, "gemini-11112222-3333-4444-5555-666677778888")).conversation.messages.map((m) => m.role)).toEqual(["user", "assistant", "tool"]);
    expect((await session(dbPath, "gemini-99990000-3333-4444-5555-666677778888")).conversation.messages.at(-1)!.content).toBe("A follow-up after resuming");
    expect(report.ignored.superseded).toBe(1);
  });

  it("older sha256-named project folders are matched to this project by their hash", async () => {
    expect((await session(dbPath, "gemini-aa11bb22-0000-4000-8000-000000000010")).metadata.imported_from).toMatchObject({ cwd: PROJECT });
  });

  it("checkpoints: tool results answer the call of the same name when ids are missing", async () => {
    const old = await session(dbPath, "gemini-demo-app.checkpoint-before_refactor");
    expect(old.metadata.title).toBe("before refactor");
    expect(toolPairsIntact(old.conversation.messages)).toBe(true);
    const v2 = (await session(dbPath, "gemini-demo-app.checkpoint-v2")).conversation.messages;
    expect(v2.at(-1)).toMatchObject({ role: "tool", tool_call_id: "fc-9", content: "File not found." });
  });
});

describe("hostile input", () => {
  it("a value nested 100,000 deep fails its file with the reason (dry run too); the other files are imported", async () => {
    const source = copyFixtures(CLAUDE);
    const depth = 100_000;
    const deep = `{"parentUuid":null,"isSidechain":false,"cwd":"${PROJECT}","sessionId":"deep","type":"user","uuid":"u1","timestamp":"2026-01-01T00:00:00.000Z","message":{"role":"user","content":"hi","extra":${"[".repeat(depth)}${"]".repeat(depth)}}}\n`;
    const path = join(source, "-home-dev-demo-app", "deep.jsonl");
    writeFileSync(path, deep);
    for (const dryRun of [true, false]) {
      const report = await runImport(tempDir().join("p.db"), { tools: ["claude"], sources: [source], dryRun });
      expect(report.counts).toMatchObject({ imported: 9, failed: 1 });
      expect(report.failed).toEqual([{ path, reason: expect.stringMatching(/nested too deeply/) }]);
    }
  });
});

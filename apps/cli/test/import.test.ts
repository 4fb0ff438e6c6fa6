import { displayWidth } from "@victor/terminal";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatRig, type ChatRig } from "./chat/harness.js";
import { HOSTILE_PARTS, assertTerminalSafe } from "./hostile-corpus.js";
import { runCli, type CliRunOptions } from "./in-process.js";
import { CLAUDE_ID, CODEX_ID, seedOtherTools } from "./import-fixtures.js";

// `victor import` in-process through main(argv, io): the run's HOME, folder and streams are the test's,
// so the real user's ~/.claude, $CODEX_HOME and ~/.gemini are never read. One binary run stays in
// import.e2e.test.ts.
describe("victor import", () => {
  let rig: ChatRig;
  let work: string;
  let claudeFile: string;
  const victor = (args: string[], options: Omit<CliRunOptions, "cwd" | "env"> & { env?: Record<string, string> } = {}) =>
    runCli(args, { ...options, cwd: work, env: { ...rig.env, ...options.env } });

  beforeAll(async () => {
    rig = await chatRig();
    work = rig.cwd;
    claudeFile = seedOtherTools(rig.home, work);
  });
  afterAll(() => rig.cleanup());

  it("looks for the tools' folders under the run's HOME and CODEX_HOME, not the process's", async () => {
    const codexHome = rig.project.join("codex-home");
    const run = await victor(["import", "--dry-run", "--json"], { env: { CODEX_HOME: codexHome } });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    const folders = [...report.sources, ...report.missing].map((s: { tool: string; path: string }) => [s.tool, s.path]);
    expect(folders.sort()).toEqual(
      [
        ["claude", join(rig.home, ".claude", "projects")],
        ["codex", codexHome],
        ["gemini", join(rig.home, ".gemini", "tmp")],
      ].sort(),
    );
    expect(report.missing).toEqual([{ tool: "codex", path: codexHome }]);
  });

  it("victor chat mentions the sessions of other tools once; after victor import it does not", async () => {
    const before = await rig.chat(["/exit"]);
    expect(before.stderr).toContain("Found 3 sessions of other AI coding tools not imported yet (Claude Code: 1, Codex CLI: 1, gemini-cli: 1): run `victor import` to bring them in.");
    const run = await victor(["import", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.counts).toMatchObject({ imported: 3, failed: 0 });
    expect(report.sessions.map((s: { session_id: string }) => s.session_id).sort()).toEqual([`claude-${CLAUDE_ID}`, `codex-${CODEX_ID}`, "gemini-aabbccdd-0000-4000-8000-000000000003"]);
    // --json keeps stdout for the JSON: no progress lines anywhere.
    expect(run.stderr).toBe("");
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
    expect(chat.code, chat.stderr).toBe(0);
    const sent = rig.openai.requests.at(-1)!.body.messages as { role: string; tool_calls?: { id: string }[]; tool_call_id?: string }[];
    expect(sent.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant", "user"]);
    expect(sent[1]!.tool_calls!.map((c) => c.id)).toEqual(["toolu_1"]);
    expect(sent[2]!.tool_call_id).toBe("toolu_1");
  });

  it("a second run a week later brings in only what is new: a table, the summary, progress on stderr", async () => {
    appendFileSync(claudeFile, `${JSON.stringify({ isSidechain: false, cwd: work, sessionId: CLAUDE_ID, parentUuid: "a2", type: "user", uuid: "u2", timestamp: "2026-01-17T09:00:00.000Z", message: { role: "user", content: "It is flaky again" } })}\n`);
    const run = await victor(["import", "claude"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/│ updated\s+│\s+1 │/);
    expect(run.stdout).toContain("1 session brought up to date; 2 messages sent (only new and changed ones).");
    expect(run.stderr.split("\n")).toEqual(["victor import: 1 files in 1 folder(s)", "victor import: 1/1 files", ""]);
  });

  it("fits the terminal: the table at 80 columns, one line per tool below what the table needs", async () => {
    const wide = await victor(["import", "--dry-run"], { tty: { columns: 80 } });
    expect(wide.stdout).toMatch(/│ files\s+│ Claude Code │ Codex CLI │ gemini-cli │/);
    const narrow = await victor(["import", "--dry-run"], { tty: { columns: 40 } });
    expect(narrow.code, narrow.stderr).toBe(0);
    expect(narrow.stdout).not.toContain("│");
    expect(narrow.stdout).toContain("Codex CLI: 1 unchanged");
    // Paths too: wrapped under their line, never past the edge.
    for (const line of narrow.stdout.split("\n")) expect(displayWidth(line), line).toBeLessThanOrEqual(40);
  });

  it("usage errors exit 2; a file nothing could be read from is listed and exits 3", async () => {
    const usage = await victor(["import", "--source", "somewhere"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--source reads one tool's files: name it");
    expect((await victor(["import", "--since", "last week"])).code).toBe(2);
    const bad = rig.project.join("bad");
    mkdirSync(join(bad, "p"), { recursive: true });
    writeFileSync(join(bad, "p", "broken.jsonl"), "{not json\n");
    const run = await victor(["import", "claude", "--source", bad]);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain("Failed (1):");
    expect(run.stderr).toContain("1 file could not be imported (listed above); the others were.");
    const narrow = await victor(["import", "claude", "--source", bad], { tty: { columns: 40 } });
    expect(narrow.stdout.replace(/\s+/g, "")).toContain(`${join(bad, "p", "broken.jsonl")}:nothingreadable`);
    for (const line of narrow.stdout.split("\n")) expect(displayWidth(line), line).toBeLessThanOrEqual(40);
  });

  it("file names and damaged lines of other tools' files never drive the terminal", async () => {
    const dir = rig.project.join("hostile", "p");
    mkdirSync(dir, { recursive: true });
    // A file name holds any byte but "/" and NUL (and at most 255 of them): the escape sequences, a
    // few lone controls; the damaged line holds the whole corpus.
    const name = [...HOSTILE_PARTS.filter((part) => part.length < 30), "\x01\x9b\x7f"].join(" ");
    writeFileSync(join(dir, `${name}.jsonl`), `${HOSTILE_PARTS.join(" ")}\n`);
    for (const options of [{ tty: { columns: 80 } }, {}, { env: { NO_COLOR: "", FORCE_COLOR: "1" } }]) {
      const run = await victor(["import", "claude", "--source", rig.project.join("hostile"), "--dry-run"], options);
      expect(run.code).toBe(3);
      expect(run.stdout).toContain("Failed (1):");
      assertTerminalSafe(run.stdout, "import stdout");
      assertTerminalSafe(run.stderr, "import stderr");
    }
    const json = await victor(["import", "claude", "--source", rig.project.join("hostile"), "--dry-run", "--json"]);
    assertTerminalSafe(json.stdout, "import --json");
    expect(JSON.parse(json.stdout).failed[0].path).toBe(join(dir, `${name}.jsonl`));
  });

  it("shell completion knows victor import, its tools and flags", async () => {
    const complete = async (...words: string[]): Promise<string[]> => (await victor(["--complete", "victor", ...words])).stdout.split("\n").filter(Boolean);
    expect(await complete("imp")).toEqual(["import"]);
    expect(await complete("import", "")).toEqual(["claude", "codex", "gemini", "all"]);
    expect(await complete("import", "c")).toEqual(["claude", "codex"]);
    expect(await complete("import", "claude", "--s")).toEqual(["--source", "--since"]);
    expect(await complete("import", "--d")).toEqual(["--dry-run", "--db", "--debug"]);
    // A folder after --source: nothing of ours, so the shell completes file names.
    expect(await complete("import", "claude", "--source", "")).toEqual([]);
  });

  it("a typo of import gets the suggestion", async () => {
    const run = await victor(["improt"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown command "improt". Did you mean: victor import');
  });
});

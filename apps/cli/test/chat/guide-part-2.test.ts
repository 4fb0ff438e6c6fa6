import Database from "better-sqlite3";
import { copyFileSync, cpSync, existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../in-process.js";
import { LEGACY_SAMPLES, chatRig, savedId, type ChatRig } from "./harness.js";

// The user guide's part 2 (database management, migration from JSON, troubleshooting, best
// practices), walked as a user types it. Its model-switching and compaction workflows are in
// workflows.test.ts (they need the model servers' requests).

let rig: ChatRig;
beforeEach(async () => (rig = await chatRig()));
afterEach(() => rig.cleanup());

const sessionsCli = (args: string[]) => runCli(["sessions", ...args], { cwd: rig.cwd, env: rig.env });

/** The guide's own SQL, verbatim, on the project's database. */
function query(sql: string): unknown[] {
  const db = new Database(rig.dbPath, { readonly: true });
  try {
    return db.prepare(sql).raw().all();
  } finally {
    db.close();
  }
}

describe("the guide, part 2", () => {
  it("best practices: descriptive titles, quoted, kept exactly; later saves update the same session", async () => {
    const run = await rig.chat([
      "Refactor the login flow",
      '/save "Completed authentication refactoring"',
      '/save "API Design - Draft 1 - In Progress"',
      '/save "Feature: User authentication - Design"',
      '/save "Feature: User authentication - Implementation"',
      '/save "Feature: User authentication - Testing"',
      "/sessions",
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const titles = [...run.stdout.matchAll(/Title:\s+(.+?)\s+│/g)].map((m) => m[1]);
    expect(titles).toEqual([
      "Completed authentication refactoring",
      "API Design - Draft 1 - In Progress",
      "Feature: User authentication - Design",
      "Feature: User authentication - Implementation",
      "Feature: User authentication - Testing",
    ]);
    expect([...run.stdout.matchAll(/Action:\s+(\w+)/g)].map((m) => m[1])).toEqual(["created", "updated", "updated", "updated", "updated"]);
    expect(run.stdout).toMatch(/Feature: User authentication - Testing\s+│\s+claude-sonnet-4-20250514\s+│\s+anthropic\s+│\s+2\s+│/);
  });

  it("database management: the guide's three sqlite3 queries work on the project's database", async () => {
    const auth = savedId((await rig.chat(["Refactor the login flow", '/save "Refactoring authentication"'])).stdout);
    const other = savedId((await rig.chat(["one", "two", '/save "Build pipeline"'])).stdout);

    const all = query("SELECT id, name, model, created_at FROM sessions ORDER BY created_at DESC;");
    expect(all.map((row) => (row as unknown[]).slice(0, 3))).toEqual([
      [other, "Build pipeline", "claude-sonnet-4-20250514"],
      [auth, "Refactoring authentication", "claude-sonnet-4-20250514"],
    ]);

    const counts = query(`
  SELECT s.name, COUNT(m.id) as message_count
  FROM sessions s
  LEFT JOIN messages m ON s.id = m.session_id
  GROUP BY s.id
  ORDER BY message_count DESC;
`);
    expect(counts).toEqual([
      ["Build pipeline", 4],
      ["Refactoring authentication", 2],
    ]);

    const byTitle = query(`
  SELECT id, name, model, created_at
  FROM sessions
  WHERE name LIKE '%authentication%'
  ORDER BY created_at DESC;
`);
    expect(byTitle.map((row) => (row as unknown[])[0])).toEqual([auth]);
  });

  it("backup and restore with cp, once the chat has ended", async () => {
    const kept = savedId((await rig.chat(["first", '/save "Before the backup"'])).stdout);
    copyFileSync(rig.dbPath, `${rig.dbPath}.backup`); // cp .victor/project.db .victor/project.db.backup
    await rig.chat(["second", '/save "After the backup"']);
    expect((await sessionsCli(["list"])).stdout).toContain("After the backup");

    copyFileSync(`${rig.dbPath}.backup`, rig.dbPath); // cp .victor/project.db.backup .victor/project.db
    const list = await sessionsCli(["list", "--json"]);
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { session_id: string }[]).map((s) => s.session_id)).toEqual([kept]);
    const resumed = await rig.chat([`/resume ${kept}`]);
    expect(resumed.stdout).toMatch(/Session Resumed[\s\S]*Before the backup/);
  });

  it("migration from JSON by hand: ls ~/.victor/sessions/, /load the file, /save it into SQLite", async () => {
    const legacyDir = join(rig.home, ".victor", "sessions");
    cpSync(join(LEGACY_SAMPLES, "home", ".victor", "sessions"), legacyDir, { recursive: true });
    const [file] = readdirSync(legacyDir).filter((name) => name.endsWith(".json"));
    const id = file!.slice(0, -".json".length);

    const run = await rig.chat([`/load ${id}`, "/save", "/sessions"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Legacy Session Loaded[\s\S]*Session Saved[\s\S]*Action:\s+created/);
    expect(savedId(run.stdout)).toBe(id);
    expect(run.stdout).toMatch(new RegExp(`│ ${id} │`));
    expect(existsSync(join(legacyDir, file!))).toBe(true);
  });

  describe("troubleshooting", () => {
    it("Session not found: 20250107_153045 — from /resume, victor chat --resume and victor sessions show, exit 1", async () => {
      await rig.chat(["hello", "/save"]);
      const slash = await rig.chat(["/resume 20250107_153045", "/sessions"]);
      expect(slash.stderr).toContain("Session not found: 20250107_153045");
      expect(slash.stdout).toMatch(/ID\s.*Title/); // /sessions, the first solution, lists what exists
      expect(slash.code).toBe(1);
      const flag = await rig.chat([], ["--resume", "20250107_153045"]);
      expect([flag.code, flag.stderr.trim()]).toEqual([1, "Error: Session not found: 20250107_153045"]);
      const show = await sessionsCli(["show", "20250107_153045"]);
      expect([show.code, show.stderr.trim()]).toEqual([1, "Error: Session not found: 20250107_153045"]);
    });

    it('empty sessions list: /sessions says "No saved sessions found"; /save My Session, then the database and its tables exist', async () => {
      const empty = await rig.chat(["/sessions"]);
      expect(empty.code).toBe(0);
      expect(empty.stdout).toContain("No saved sessions found");

      const saved = await rig.chat(["hello", "/save My Session", "/sessions"]);
      expect(saved.stdout).toMatch(/Title:\s+My Session\b/);
      expect(saved.stdout).not.toContain("No saved sessions found");
      expect(existsSync(rig.dbPath)).toBe(true); // ls .victor/project.db
      const tables = query("SELECT name FROM sqlite_master WHERE type = 'table'").flat(); // sqlite3 … ".tables"
      expect(tables).toEqual(expect.arrayContaining(["sessions", "messages"]));
    });

    it("conversation state: a session saved with one has it back after /resume, and keeps it on the next /save", async () => {
      const envelope = {
        metadata: { session_id: "20250107_153045", title: "With state", model: "claude-sonnet-4-20250514", provider: "anthropic" },
        conversation: { messages: [{ role: "user", content: "plan it" }, { role: "assistant", content: "planned" }] },
        conversation_state: { state: { stage: "PLANNING" } },
      };
      const file = join(rig.cwd, "with-state.json");
      writeFileSync(file, JSON.stringify(envelope));
      expect((await sessionsCli(["import", file])).code).toBe(0);
      const run = await rig.chat(["/resume 20250107_153045", "go on", "/save"]);
      expect(run.code).toBe(0);
      const shown = JSON.parse((await sessionsCli(["show", "20250107_153045", "--json"])).stdout) as { conversation_state: unknown; conversation: { messages: unknown[] } };
      expect(shown.conversation_state).toEqual({ state: { stage: "PLANNING" } });
      expect(shown.conversation.messages).toHaveLength(4);
    });
  });
});

import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { findImportableSessions, importSessionsFromTools } from "../src/index.js";
import { CLAUDE, PROJECT, cleanup, tempDir } from "./helpers.js";

afterEach(cleanup);

const PYTHON_DB = fileURLToPath(new URL("../../migrate/test/fixtures/python-victor/conversation-store-head.db", import.meta.url));
const sha = (path: string): string => createHash("sha256").update(readFileSync(path)).digest("hex");

describe("findImportableSessions (the start-up hint of victor chat)", () => {
  it("counts the other tools' sessions over a database the Python Victor wrote, or an empty one, and changes neither", async () => {
    const home = tempDir();
    cpSync(CLAUDE, home.join(".claude", "projects"), { recursive: true });
    const env = { HOME: home.path };
    const none = await findImportableSessions({ cwd: PROJECT, env, dbPath: home.join("missing.db") });
    expect(none.counts.claude).toBeGreaterThan(0);

    const python = home.join("python.db");
    copyFileSync(PYTHON_DB, python);
    const before = sha(python);
    expect(await findImportableSessions({ cwd: PROJECT, env, dbPath: python })).toEqual(none);
    expect(sha(python)).toBe(before);

    const empty = home.join("empty.db");
    writeFileSync(empty, "");
    expect(await findImportableSessions({ cwd: PROJECT, env, dbPath: empty })).toEqual(none);
    expect(readFileSync(empty).length).toBe(0);
  });
});

describe("the run's environment decides where home is", () => {
  /** A claude session file recorded in `cwd`, where Claude Code keeps it under `home`. */
  function claudeSession(home: string, cwd: string, id: string): void {
    const dir = join(home, ".claude", "projects", cwd.replace(/[^A-Za-z0-9]/g, "-"));
    mkdirSync(dir, { recursive: true });
    const line = { type: "user", uuid: "u1", parentUuid: null, sessionId: id, cwd, timestamp: "2026-01-10T09:00:00.000Z", message: { role: "user", content: "hello" } };
    writeFileSync(join(dir, `${id}.jsonl`), `${JSON.stringify(line)}\n`);
  }

  // HOME's own .victor/ holds legacy sessions, not a project: from HOME/work the project is HOME/work
  // (as @victor/core decides with the same environment), so a session of HOME/other is not this project's.
  it("finds the project root and the tools' folders from env.HOME, never the process's home", async () => {
    const home = tempDir();
    mkdirSync(home.join(".victor", "sessions"), { recursive: true });
    mkdirSync(home.join("work"));
    claudeSession(home.path, home.join("work"), "5e551011-0000-4000-8000-000000000001");
    claudeSession(home.path, home.join("other"), "5e551011-0000-4000-8000-000000000002");
    const options = { cwd: home.join("work"), env: { HOME: home.path }, dbPath: home.join("work", "project.db") };
    expect((await findImportableSessions(options)).counts).toEqual({ claude: 1, codex: 0, gemini: 0 });
    const report = await importSessionsFromTools({ ...options, tools: ["claude"], dryRun: true });
    expect(report.sources).toEqual([{ tool: "claude", path: home.join(".claude", "projects") }]);
    expect(report.counts).toMatchObject({ imported: 1, ignored: 1 });
    expect(report.ignored["other-project"]).toBe(1);
  });
});

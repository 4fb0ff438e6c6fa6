import { sqliteMaintenance } from "@victor/core";
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { runNode } from "@victor/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { parseCliArgs } from "../src/cli/args.js";
import { main } from "../src/cli/main.js";
import type { MigrationReport } from "../src/index.js";

/** The --json report: the snake_case keys of every Victor --json output. */
type JsonReport = { dry_run: boolean; db_path: string; counts: MigrationReport["counts"] };
import { BIN, cleanup, EXAMPLE_HOME_SESSIONS, EXAMPLE_PROJECT_SESSIONS, legacy, openStore, snapshotTree, tempDir, writeLegacy } from "./helpers.js";

afterEach(cleanup);

/** A temp HOME with the sample home sessions and a temp project with the sample project sessions. */
function sandbox() {
  const dir = tempDir();
  const home = dir.join("home");
  const project = dir.join("project");
  for (const [from, to] of [
    [EXAMPLE_HOME_SESSIONS, join(home, ".victor", "sessions")],
    [EXAMPLE_PROJECT_SESSIONS, join(project, ".victor", "sessions")],
  ] as const) {
    mkdirSync(to, { recursive: true });
    for (const name of readdirSync(from)) copyFileSync(join(from, name), join(to, name));
  }
  mkdirSync(join(project, "src"));
  return { dir, home, project, dbPath: join(project, ".victor", "project.db") };
}

/** The built binary in a child process: for what needs the process boundary (exit status, a real pipe). */
const runBin = (args: string[], cwd: string, home: string) => runNode(BIN, args, { cwd, env: { HOME: home } });

/** A stream that keeps what is written to it (not a terminal: like a pipe). */
function capture(): Writable & { text: string } {
  const sink = Object.assign(new Writable({ write: (chunk: Buffer, _encoding, done) => ((sink.text += chunk.toString()), done()) }), { text: "" });
  return sink;
}

/** The same program in this process through main(argv, io): no Node start-up, the same code path. */
async function run(args: string[], cwd: string, home: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const [stdout, stderr] = [capture(), capture()];
  const code = await main(args, { stdout, stderr, env: { HOME: home }, cwd });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe("victor-migrate", () => {
  it("(built bin) imports the default sources (home + project), exits 3 for the failed files, then 0-change re-run", async () => {
    const { home, project, dbPath, dir } = sandbox();
    const before = snapshotTree(join(home, ".victor"));
    const first = await runBin([], join(project, "src"), home);
    expect(first.stderr).toContain("victor-migrate: 9 files in 2 folder(s)");
    expect(first.stdout).toMatch(/imported\s*│\s*5/);
    expect(first.stdout).toMatch(/recovered\s*│\s*1/);
    expect(first.stdout).toMatch(/failed\s*│\s*2/);
    expect(first.stdout).toContain("empty.json: empty file");
    expect(first.stdout.includes("\u001b[")).toBe(false);
    expect(first.code).toBe(3);
    expect(snapshotTree(join(home, ".victor"))).toEqual(before);
    const store = await openStore(dbPath, true);
    expect(await store.countSessions()).toBe(6);
    await store.close();

    const second = await runBin(["--json"], project, home);
    expect(second.code).toBe(3);
    const report = JSON.parse(second.stdout) as JsonReport;
    expect(report.counts).toMatchObject({ unchanged: 6, failed: 2, imported: 0, ignored: 1 });
    expect(report.db_path).toBe(dbPath);
    expect(second.stderr).toBe("");
    expect(readdirSync(dir.join("project", ".victor")).some((n) => n.includes(".backup-"))).toBe(false);
  });

  it("exits 0 when nothing failed, backs up a DB that holds sessions and prints the backup path", async () => {
    const { home, project, dbPath } = sandbox();
    const homeSessions = join(home, ".victor", "sessions");
    const first = await run(["--source", homeSessions, "--db", dbPath], project, home);
    expect(first.code).toBe(0);
    expect(first.stdout).not.toContain("Backup:");
    writeLegacy(homeSessions, "later.json", legacy("later"));
    const second = await run(["--source", homeSessions, "--db", dbPath], project, home);
    expect(second.code).toBe(0);
    const backupPath = /Backup: (\S+)/.exec(second.stdout)?.[1];
    expect(backupPath).toMatch(/project\.db\.backup-\d{8}-\d{6}$/);
    const backup = await openStore(backupPath!, true);
    expect(await (await sqliteMaintenance(backup)).integrityCheck()).toBe("ok");
    expect(await backup.countSessions()).toBe(2);
    writeLegacy(homeSessions, "later2.json", legacy("later2"));
    const third = await run(["--source", homeSessions, "--db", dbPath, "--no-backup"], project, home);
    expect(third.code).toBe(0);
    expect(third.stdout).not.toContain("Backup:");
  });

  it("--dry-run creates nothing and prints the same summary", async () => {
    const { home, project, dbPath } = sandbox();
    const before = snapshotTree(project);
    const dry = await run(["--dry-run", "--json"], project, home);
    expect(dry.code).toBe(3);
    expect(snapshotTree(project)).toEqual(before);
    const real = await run(["--json"], project, home);
    const a = JSON.parse(dry.stdout) as JsonReport;
    const b = JSON.parse(real.stdout) as JsonReport;
    expect(a.dry_run).toBe(true);
    expect(a.counts).toEqual(b.counts);
    expect(a.db_path).toBe(dbPath);
  });

  it("exits 1 with one line on stderr when the DB cannot be used (built bin), 2 on bad usage", async () => {
    const { home, project, dir } = sandbox();
    const notADb = dir.join("not-a-db.db");
    writeFileSync(notADb, "this is not sqlite, just text that is long enough");
    const fatal = await runBin(["--db", notADb], project, home);
    expect(fatal.code).toBe(1);
    expect(fatal.stderr.trim().split("\n")).toHaveLength(1);
    expect(fatal.stderr).toContain("not an SQLite database");
    expect(fatal.stderr).not.toMatch(/\n\s+at /);
    const missing = await run(["--source", dir.join("nope")], project, home);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("does not exist");
    const usage = await run(["--on-conflict", "merge"], project, home);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--on-conflict must be skip, rename or overwrite");
    const unknown = await run(["--frobnicate"], project, home);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--frobnicate'");
    const help = await run(["--help"], project, home);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: victor-migrate");
  });
});

describe("parseCliArgs", () => {
  it("parses every option", () => {
    expect(
      parseCliArgs(["--source", "a", "--source", "b", "--from-db", "p.db", "--db", "x.db", "--dry-run", "--json", "--on-conflict", "rename", "--no-backup", "--timezone", "Europe/Berlin", "--keep-backups", "3"]),
    ).toEqual({
      sources: ["a", "b"],
      fromDb: ["p.db"],
      timeZone: "Europe/Berlin",
      keepBackups: 3,
      dbPath: "x.db",
      dryRun: true,
      json: true,
      onConflict: "rename",
      backup: false,
      debug: false,
      help: false,
    });
    expect(parseCliArgs([])).toMatchObject({ sources: [], onConflict: "skip", backup: true });
    expect(() => parseCliArgs(["positional"])).toThrow(/Unexpected argument/);
    expect(() => parseCliArgs(["--db"])).toThrow(/argument missing/);
    expect(() => parseCliArgs(["--timezone", "Mars/Olympus"])).toThrow(/Unknown time zone "Mars\/Olympus"/);
    expect(() => parseCliArgs(["--keep-backups", "0"])).toThrow(/at least 1/);
  });
});

describe("render", () => {
  it("colours only on a terminal and never with NO_COLOR", async () => {
    const { colorsFor, renderReport } = await import("../src/cli/render.js");
    const { emptyReport, addResult } = await import("../src/report.js");
    const report = emptyReport({ dryRun: false, dbPath: "/x/project.db", sources: ["/s"], onConflict: "skip" });
    addResult(report, { path: "/s/a.json", outcome: "failed", sessionId: null, requestedId: null, renamed: false, overwritten: false, existingSessionId: null, reason: "empty file", notes: [] });
    const esc = "\u001b[";
    expect(renderReport(report, colorsFor({ isTTY: true }, {})).includes(esc)).toBe(true);
    expect(renderReport(report, colorsFor({ isTTY: true }, { NO_COLOR: "1" })).includes(esc)).toBe(false);
    const plain = renderReport(report, colorsFor({ isTTY: false }, {}));
    expect(plain.includes(esc)).toBe(false);
    expect(plain).toContain("/s/a.json: empty file");
    expect(plain).toMatch(/failed\s*│\s*1/);
  });
});

describe("help and output at a terminal", () => {
  it.each([40, 60, 80, 120])("--help fits %i columns and names every option", async (columns) => {
    const { usage } = await import("../src/cli/args.js");
    const { displayWidth } = await import("@victor/terminal");
    const text = usage(columns);
    for (const line of text.split("\n")) expect(displayWidth(line), line).toBeLessThanOrEqual(columns);
    for (const flag of ["--source", "--from-db", "--db", "--dry-run", "--json", "--on-conflict", "--timezone", "--keep-backups", "--no-backup", "--debug", "--help"]) {
      expect(text).toContain(flag);
    }
  });

  it("a reader that leaves early (`| head`) ends the run quietly with status 0", async () => {
    const { Writable } = await import("node:stream");
    const { main } = await import("../src/cli/main.js");
    const closed = new Writable({ write: (_c, _e, cb) => cb(Object.assign(new Error("write EPIPE"), { code: "EPIPE" })) });
    let errors = "";
    const stderr = new Writable({ write: (c: Buffer, _e, cb) => ((errors += c.toString()), cb()) });
    const code = await main(["--help"], { stdout: closed, stderr, env: {}, cwd: process.cwd() });
    expect(code).toBe(0);
    expect(errors).toBe("");
  });

  it("the Python upgrade's lines keep their wording, fit the terminal and show hostile names without obeying them", async () => {
    const { colorsFor, renderReport } = await import("../src/cli/render.js");
    const { emptyReport } = await import("../src/report.js");
    const { displayWidth } = await import("@victor/terminal");
    const report = emptyReport({ dryRun: false, dbPath: "/p/.victor/project.db", sources: [], onConflict: "skip" });
    report.python = {
      dbPath: report.dbPath,
      schemaName: "the ConversationStore schema",
      sessions: 6,
      renamed: [
        { type: "table", from: "sessions", to: "python_sessions" },
        { type: "table", from: "messages\u001b]52;c;aGk=\u0007", to: "python_messages\u001b[2J" },
        { type: "index", from: "idx_messages_session", to: "python_idx_messages_session" },
      ],
      droppedTriggers: ["messages_fts_insert", "messages_fts_delete"],
      done: true,
    };
    report.fromDb.push({ path: "/backups/old\u001b]0;title\u0007.db", schemaName: "the guide's schema", sessions: 2 });
    const text = renderReport(report, colorsFor({ isTTY: true }, {}), 60);
    const plain = text.replace(/\u001b\[[0-9;]*m/g, "");
    expect(plain).not.toContain("\u001b");
    expect(plain).toContain("␛]52;c;aGk=␇");
    const flat = plain.replace(/\s+/g, " ");
    expect(flat).toContain("Upgraded the Python Victor's database in place: 6 sessions (the ConversationStore schema).");
    expect(flat).toContain("Renamed aside (kept, never dropped): sessions → python_sessions,");
    expect(flat).toContain("Dropped its triggers on them (SQL kept in python_upgrades and the backup): messages_fts_insert, messages_fts_delete");
    expect(flat).toMatch(/From the Python Victor's database \/backups\/old␛\]0;title␇\.db: 2 sessions/);
    for (const line of plain.split("\n")) expect(displayWidth(line), line).toBeLessThanOrEqual(60);
  });

  it("paths (database, sources, backup, failed files, notes) wrap to the terminal, never cut; a pipe gets them whole", async () => {
    const { colorsFor, renderReport } = await import("../src/cli/render.js");
    const { emptyReport, addResult } = await import("../src/report.js");
    const { displayWidth } = await import("@victor/terminal");
    const deep = "/home/someone/projects/a-project-with-a-long-name/.victor";
    const report = emptyReport({ dryRun: false, dbPath: `${deep}/project.db`, sources: [`${deep}/sessions`], onConflict: "skip" });
    report.backupPath = `${deep}/project.db.backup-20260107-153045`;
    const failed = `${deep}/sessions/20250107_153045 数据库 ✅.json`;
    addResult(report, { path: failed, outcome: "failed", sessionId: null, requestedId: null, renamed: false, overwritten: false, existingSessionId: null, reason: "not JSON: expected ',' or '}' after property value at line 1, column 453", notes: [] });
    const plain = renderReport(report, colorsFor({ isTTY: false }, {}), 40);
    for (const line of plain.split("\n")) expect(displayWidth(line), line).toBeLessThanOrEqual(40);
    const joined = plain.replace(/\s+/g, "");
    for (const path of [report.dbPath, report.backupPath, failed]) expect(joined).toContain(path.replace(/\s+/g, ""));
    const piped = renderReport(report, colorsFor({ isTTY: false }, {}));
    expect(piped).toContain(`Backup: ${report.backupPath}\n`);
    expect(piped).toContain(`  ${failed}: not JSON`);
  });

  it("FORCE_COLOR turns colour on for a pipe, as in the victor CLI (one colour policy)", async () => {
    const { colorsFor } = await import("../src/cli/render.js");
    expect(colorsFor({ isTTY: false }, { FORCE_COLOR: "1" }).red("x")).toContain("\u001b[");
    expect(colorsFor({ isTTY: true }, { FORCE_COLOR: "1", NO_COLOR: "1" }).red("x")).toBe("x");
  });
});

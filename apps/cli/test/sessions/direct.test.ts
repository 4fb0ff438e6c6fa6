import { copyFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { directCommand } from "../../src/direct.js";
import { Terminal } from "../../src/io.js";
import { exitCodeOf } from "../../src/errors.js";
import { runParser } from "../../src/parser.js";
import { makeProject, REPO_ROOT, seed, type Project } from "./helpers.js";

let p: Project;
beforeAll(async () => {
  p = makeProject();
  await seed(p.dbPath, [
    { id: "20250107_153045", text: "first" },
    { id: "20250108_090000", text: "second" },
    { id: "20250109_120000", text: "third" },
  ]);
});
afterAll(() => p.remove());

/** The same command line through yargs alone (what main does when `directCommand` declines it). */
async function throughYargs(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const sink = (add: (s: string) => void) => new Writable({ write: (chunk, _e, done) => (add(String(chunk)), done()) });
  const terminal = new Terminal({ stdin: new PassThrough(), stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)), env: { NO_COLOR: "1", HOME: p.home.path }, cwd: p.dir.path });
  let code = 0;
  try {
    await runParser(terminal, argv);
  } catch (error) {
    code = exitCodeOf(error);
    terminal.error((error as Error).message);
  }
  await terminal.out.flush();
  return { code, stdout, stderr };
}

/** Where the test's command lines run (the project's SQLite file unless they say otherwise). */
const io = () => ({ cwd: p.dir.path, env: { HOME: p.home.path } });

const TAKEN = [
  ["sessions", "list"],
  ["session", "ls"],
  ["sessions", "list", "--json"],
  ["sessions", "list", "--limit", "2"],
  ["sessions", "list", "--limit=2", "--json"],
  ["sessions", "list", "-n", "1"],
  ["sessions", "list", "--all"],
  ["sessions", "list", "-a", "--json"],
  ["--db", ".victor/project.db", "sessions", "list"],
  ["sessions", "list", "--debug", "--db=.victor/project.db"],
  ["sessions", "list", "--limit", "2", "--all"],
];

describe("the direct way to `victor sessions list` (no yargs)", () => {
  it.each(TAKEN)("gives what yargs gives: %j", async (...argv) => {
    expect(directCommand(argv, io())).not.toBeNull();
    const direct = await p.run(argv);
    const yargs = await throughYargs(argv);
    expect(direct.stdout).toBe(yargs.stdout);
    expect(direct.code).toBe(yargs.code);
    if (direct.code !== 0) expect(direct.stderr).toContain(yargs.stderr.trim());
  });

  it("leaves every other command line to yargs", () => {
    const declined = [
      ["sessions", "list", "--help"],
      ["sessions", "list", "--limit", "x"],
      ["sessions", "list", "--limit"],
      ["sessions", "list", "extra"],
      ["sessions", "lst"],
      ["sessions", "list", "--no-json"],
      ["sessions", "list", "--limit", "1", "--limit", "2"],
      ["sessions", "list", "-an"],
      ["sessions", "list", "--db"],
      ["sessions", "list", "--all=yes"],
      ["sessions", "show", "20250107"],
      ["--version"],
      [],
    ];
    for (const argv of declined) expect(directCommand(argv, io()), JSON.stringify(argv)).toBeNull();
  });

  it("leaves a PostgreSQL store to yargs (--db URL or VICTOR_DB_URL), and takes --db FILE over VICTOR_DB_URL", () => {
    const server = "postgres://victor@127.0.0.1:5432/victor";
    expect(directCommand(["sessions", "list", "--db", server], io())).toBeNull();
    expect(directCommand(["sessions", "list", `--db=${server}`], io())).toBeNull();
    const withUrl = { ...io(), env: { ...io().env, VICTOR_DB_URL: server } };
    expect(directCommand(["sessions", "list"], withUrl)).toBeNull();
    expect(directCommand(["sessions", "list", "--db", "other.db"], withUrl)).not.toBeNull();
  });
});

describe("`victor sessions list` on a file the store has to open", () => {
  it("upgrades an older release's database (the list goes through the store), then lists it the quick way alike", async () => {
    const old = makeProject();
    try {
      mkdirSync(dirname(old.dbPath), { recursive: true });
      copyFileSync(`${REPO_ROOT}/packages/core/test/fixtures/releases/v0.1.0-project.db`, old.dbPath);
      const first = await old.run(["sessions", "list", "--limit", "6"]);
      expect(first.code).toBe(0);
      expect(first.stdout).toContain("Saved by v0.5");
      expect(first.stdout).toContain("Showing 6 of 7 sessions");
      const again = await old.run(["sessions", "list", "--limit", "6"]);
      expect(again).toEqual(first);
    } finally {
      old.remove();
    }
  });
});

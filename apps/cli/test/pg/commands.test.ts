import { startAnthropicServer, type FakeLlmServer, type PgTestDatabase, type PgTestRole, type RunResult } from "@victor/test-utils";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { seedOtherTools } from "../import-fixtures.js";
import { describePg, passwordOf, pgDatabase, pgProject, seedStore, type PgProject } from "./helpers.js";

/**
 * Every command on a PostgreSQL server, in-process through main(argv, io): the same behaviour as on
 * the project's file, sessions of the current project only (unless --all-projects), libpq's
 * password sources and TLS rule, and never a password in any output.
 */

const times = (day: number) => ({ createdAt: `2026-01-0${day}T10:00:00.000Z`, updatedAt: `2026-01-0${day}T11:00:00.000Z` });

describePg("victor on a PostgreSQL server", () => {
  let db: PgTestDatabase;
  let alice: PgTestRole;
  /** Each test in a project of its own (its own git remote, so its own key on the server). */
  let project: PgProject;
  let KEY: string;
  let projects = 0;
  const outputs: RunResult[] = [];
  /** Runs victor in the project and keeps what it printed, to check for passwords at the end. */
  const victor = async (args: string[], env: Record<string, string> = {}, input?: string) => {
    const run = await project.run(args, { env, input });
    outputs.push(run);
    return run;
  };
  const json = (run: RunResult) => {
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout);
  };

  beforeAll(async () => {
    db = await pgDatabase();
    alice = await db.createLoginRole("alice", ["victor_writer"]);
  });

  beforeEach(() => {
    projects++;
    KEY = `github.com/acme/app${projects}`;
    project = pgProject(`git@github.com:acme/app${projects}.git`);
  });

  afterEach(() => project.remove());

  afterAll(async () => {
    await db?.drop();
  });

  it("every sessions command does on the server what it does on the file (the same JSON), named by --db or VICTOR_DB_URL", async () => {
    const sessions = [
      { id: "20260101_100000", texts: ["How do I rotate the deploy keys?", "Use the vault CLI."], title: "Deploy keys" },
      { id: "20260102_100000", texts: ["The checkout test is flaky", "It waits on a real clock."] },
    ];
    const seed = async (options: Parameters<typeof seedStore>[0]) => {
      for (const [i, s] of sessions.entries()) await seedStore({ ...options }, [{ ...s, ...times(i + 1) }]);
    };
    const file = project.dir.join("file.db");
    await seed({ dbPath: file });
    await seed({ url: alice.url, project: KEY });
    const onServer = { VICTOR_DB_URL: alice.url };
    const serverOnly = ["project", "owner", "machine", "shared"];
    const withoutServerKeys = (rows: Record<string, unknown>[]) => rows.map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => !serverOnly.includes(k))));

    const [listFile, listServer] = [json(await victor(["sessions", "list", "--json", "--db", file])), json(await victor(["sessions", "list", "--json"], onServer))];
    expect(withoutServerKeys(listServer)).toEqual(listFile);
    expect(listServer[0]).toMatchObject({ session_id: "20260102_100000", project: KEY, owner: alice.name, shared: false });
    expect(json(await victor(["sessions", "show", "20260101", "--json", "--db", alice.url]))).toEqual(json(await victor(["sessions", "show", "20260101", "--json", "--db", file])));
    const searchFile = json(await victor(["sessions", "search", "clock", "--json", "--db", file]));
    expect(withoutServerKeys(json(await victor(["sessions", "search", "clock", "--json"], onServer)))).toEqual(searchFile);
    const { db_path: fileDb, size_bytes: _size, ...statsFile } = json(await victor(["sessions", "stats", "--json", "--db", file]));
    const { db_path: serverDb, size_bytes: serverSize, ...statsServer } = json(await victor(["sessions", "stats", "--json"], onServer));
    expect(statsServer).toEqual(statsFile);
    expect([fileDb, serverDb, serverSize]).toEqual([file, alice.url.replace(`:${passwordOf(alice.url)}`, ""), null]);

    // Human output, and the writing commands.
    expect((await victor(["sessions", "list"], onServer)).stdout).toContain("Deploy keys");
    expect((await victor(["sessions", "rename", "20260102", "Flaky checkout"], onServer)).code).toBe(0);
    const fork = json(await victor(["sessions", "fork", "20260102_100000", "--json"], onServer));
    expect(fork).toMatchObject({ parent_id: "20260102_100000", title: "Flaky checkout (fork)", message_count: 2 });
    const exported = project.dir.join("export.json");
    expect((await victor(["sessions", "export", "--output", exported], onServer)).code).toBe(0);
    expect((await victor(["sessions", "delete", fork.session_id, "--yes"], onServer)).code).toBe(0);
    const imported = json(await victor(["sessions", "import", exported, "--json"], onServer));
    expect(imported.sessions.map((r: { status: string }) => r.status).sort()).toEqual(["created", "skipped-conflict", "skipped-conflict"]);
    const cleared = await victor(["sessions", "clear", "--all", "--yes"], onServer);
    expect(cleared.stdout).toContain("Found 3 sessions in the database; cleared 3.");
    expect(json(await victor(["sessions", "list", "--json"], onServer))).toEqual([]);
    expect((await victor(["sessions", "path"], onServer)).stdout.trim()).toBe(serverDb);
  });

  it("a server holds many projects: list and search show this one's; --all-projects the others' too, with a Project column", async () => {
    const other = pgProject("https://github.com/acme/other.git");
    try {
      await seedStore({ url: alice.url, project: KEY }, [{ id: "mine-1", texts: ["walrus migration plan", "ok"] }]);
      await seedStore({ url: alice.url, project: "github.com/acme/other" }, [{ id: "theirs-1", texts: ["walrus feeding schedule", "ok"] }]);
      const env = { VICTOR_DB_URL: alice.url };
      expect(json(await victor(["sessions", "list", "--json"], env)).map((s: { session_id: string }) => s.session_id)).toEqual(["mine-1"]);
      expect(json(await other.run(["sessions", "list", "--json"], { env })).map((s: { session_id: string }) => s.session_id)).toEqual(["theirs-1"]);
      const everywhere = json(await victor(["sessions", "search", "walrus", "--all-projects", "--json"], env));
      expect(everywhere.map((s: { project: string; session_id: string }) => `${s.project} ${s.session_id}`).sort()).toEqual([`${KEY} mine-1`, "github.com/acme/other theirs-1"]);
      const table = await victor(["sessions", "list", "--all-projects"], env);
      expect(table.stdout).toMatch(/ID\s+│ Project\s+│ Title/);
      expect(table.stdout).toContain("github.com/acme/other");
      // --project looks into another project from here.
      expect(json(await victor(["sessions", "show", "theirs-1", "--json", "--project", "github.com/acme/other"], env)).metadata.session_id).toBe("theirs-1");
      expect((await victor(["sessions", "show", "theirs-1"], env)).stderr).toContain("Session not found: theirs-1");
    } finally {
      other.remove();
    }
  });

  it("a folder without a git remote is named by --project, VICTOR_PROJECT or .victor/config.json, else a clear error", async () => {
    const loose = pgProject(null, { VICTOR_DB_URL: alice.url });
    try {
      await seedStore({ url: alice.url, project: "notes" }, [{ id: "n1", texts: ["loose notes", "ok"] }]);
      const refused = await loose.run(["sessions", "list"]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('Name it with --project NAME, VICTOR_PROJECT=NAME, or { "project": "NAME" } in .victor/config.json.');
      const ids = async (args: string[], env: Record<string, string> = {}) => json(await loose.run(["sessions", "list", "--json", ...args], { env })).map((s: { session_id: string }) => s.session_id);
      expect(await ids(["--project", "notes"])).toEqual(["n1"]);
      expect(await ids([], { VICTOR_PROJECT: "notes" })).toEqual(["n1"]);
      mkdirSync(loose.dir.join(".victor"));
      writeFileSync(loose.dir.join(".victor", "config.json"), '{ "project": "notes" }\n');
      expect(await ids([])).toEqual(["n1"]);
      writeFileSync(loose.dir.join(".victor", "config.json"), '{ "project": "notes", }\n');
      const bad = await loose.run(["sessions", "list"]);
      expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining(`Invalid Victor config ${loose.dir.join(".victor", "config.json")}: it is not valid JSON`)]);
    } finally {
      loose.remove();
    }
  });

  it("the chat saves to the server, and /sessions, /search and /resume see this project's sessions only", async () => {
    const anthropic: FakeLlmServer = await startAnthropicServer();
    try {
      await seedStore({ url: alice.url, project: "github.com/acme/other" }, [{ id: "elsewhere", texts: ["kiwi elsewhere", "ok"] }]);
      const env = { VICTOR_DB_URL: alice.url, ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: anthropic.url, VICTOR_PROVIDER: "anthropic", VICTOR_MODEL: "claude-sonnet-4" };
      const chat = await victor(["chat"], env, ["What about kiwi?", '/save "Kiwi chat"', "/sessions", "/search kiwi", "/exit"].map((l) => `${l}\n`).join(""));
      expect(chat.code, chat.stderr).toBe(0);
      expect(chat.stdout).toContain("Kiwi chat");
      expect(chat.stdout).not.toContain("elsewhere");
      const saved = json(await victor(["sessions", "list", "--json"], env)).find((s: { title: string }) => s.title === "Kiwi chat");
      expect(saved).toMatchObject({ project: KEY, message_count: 2 });
      const resumed = await victor(["chat"], env, `/resume ${saved.session_id}\n/exit\n`);
      expect(resumed.stdout).toContain("Session Resumed");
    } finally {
      await anthropic.close();
    }
  });

  it("victor import brings other tools' sessions into the server", async () => {
    seedOtherTools(project.env.HOME!, project.dir.path);
    const report = json(await victor(["import", "claude", "--json"], { VICTOR_DB_URL: alice.url }));
    expect(report).toMatchObject({ db_path: expect.stringMatching(/^postgres:\/\/alice_\w+@/), counts: { imported: 1 } });
    expect(json(await victor(["import", "claude", "--json"], { VICTOR_DB_URL: alice.url }))).toMatchObject({ counts: { unchanged: 1 } });
    expect(json(await victor(["sessions", "search", "flaky", "--json"], { VICTOR_DB_URL: alice.url }))[0]).toMatchObject({ session_id: expect.stringMatching(/^claude-/), project: KEY });
  });

  it("a file's maintenance commands say what to use on a server instead", async () => {
    for (const command of [["backup"], ["reindex"], ["restore", "x.db", "--yes"]]) {
      const run = await victor(["sessions", ...command], { VICTOR_DB_URL: alice.url });
      expect(run.code, command.join(" ")).toBe(1);
      expect(run.stderr).toMatch(/pg_dump|pg_restore|PostgreSQL/);
    }
  });

  it("libpq's password sources: PGPASSWORD, then ~/.pgpass (mode 0600); none gives a message saying where passwords go", async () => {
    const bare = new URL(alice.url);
    const password = passwordOf(alice.url);
    bare.password = "";
    const url = bare.toString();
    const list = (env: Record<string, string>) => victor(["sessions", "list", "--json", "--db", url], env);
    const none = await list({});
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("Put it in the URL, in PGPASSWORD or in ~/.pgpass");
    expect((await list({ PGPASSWORD: password })).code).toBe(0);
    const pgpass = join(project.env.HOME!, ".pgpass");
    writeFileSync(pgpass, `${bare.hostname}:${bare.port}:*:${decodeURIComponent(bare.username)}:${password}\n`, { mode: 0o600 });
    chmodSync(pgpass, 0o600);
    expect((await list({})).code).toBe(0);
  });

  it("a server on another machine is reached over TLS: refused without it, unless sslmode=disable says so", async () => {
    // A non-loopback address of this machine (the test skips this part where there is none).
    const address = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === "IPv4" && !i.internal)?.address;
    if (!address) return;
    let sawStartup = false;
    // A PostgreSQL server without TLS: answers the TLS request with "N", then notes a clear-text start-up.
    const server: Server = createServer((socket) => {
      socket.once("data", (first) => {
        if (first.length === 8 && first.readInt32BE(4) === 80877103) socket.end("N");
        else {
          sawStartup = true;
          socket.destroy();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, address, resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const url = `postgres://alice:not-for-the-network@${address}:${port}/victor`;
      const refused = await victor(["sessions", "list", "--db", url]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("the server does not offer TLS");
      expect(sawStartup).toBe(false);
      const push = await victor(["sessions", "push", "--to", `${url}?sslmode=prefer`], { VICTOR_DB_PATH: join(project.dir.path, "file.db") });
      expect(push.stderr).toContain("the server does not offer TLS");
      expect(sawStartup).toBe(false);
      await victor(["sessions", "list", "--db", `${url}?sslmode=disable`]);
      expect(sawStartup).toBe(true);
    } finally {
      server.close();
    }
  });

  it("no output ever holds a password: bad password, unknown database, unreachable server, a mistyped parameter, --debug", async () => {
    const url = new URL(alice.url);
    const secret = "Pa55-word-in-the-url";
    const wrong = (() => {
      const u = new URL(url);
      u.password = secret;
      return u.toString();
    })();
    const unknownDb = wrong.replace(/\/victor_t_\w+/, "/no_such_database");
    const unreachable = wrong.replace(`:${url.port}/`, ":1/");
    for (const args of [
      ["sessions", "list", "--db", wrong],
      ["sessions", "list", "--db", wrong, "--debug"],
      ["sessions", "list", "--db", unknownDb],
      ["sessions", "list", "--db", unreachable],
      ["sessions", "list", "--db", `${wrong}&sslmod=require`],
      ["sessions", "push", "--to", wrong],
      ["sessions", "pull", "--from", unreachable],
      ["sessions", "path", "--db", wrong],
      ["sessions", "stats", "--db", unreachable],
    ]) {
      const run = await victor(args);
      expect(`${run.stdout}${run.stderr}`, args.join(" ")).not.toContain(secret);
      if (args[1] !== "path") expect(run.code, args.join(" ")).not.toBe(0);
    }
    const migrated = await victor(["chat", "--db", wrong], {}, "/status\n/exit\n");
    expect(`${migrated.stdout}${migrated.stderr}`).not.toContain(secret);
    // Every earlier test's output too.
    const password = passwordOf(alice.url);
    for (const run of outputs) expect(`${run.stdout}${run.stderr}`).not.toContain(password);
  });
});

import { mkdirSync, readFileSync, realpathSync, statSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DatabaseOpenError,
  IncompatibleSchemaError,
  expandHome,
  findProjectRoot,
  getSessionPersistence,
  legacySessionDirs,
  openSessionStore,
  resolveDbPath,
} from "../src/index.js";
import { cleanupAll, input, msgs, openTracked, raw, sha256File, tempDir } from "./helpers.js";

const journal = JSON.parse(readFileSync(new URL("../drizzle/sqlite/meta/_journal.json", import.meta.url), "utf8")) as {
  entries: { when: number; tag: string }[];
};

let savedHome: string | undefined;
beforeEach(() => {
  savedHome = process.env.HOME;
});
afterEach(async () => {
  if (savedHome === undefined) delete process.env.HOME;
  else process.env.HOME = savedHome;
  await cleanupAll();
});

describe("openSessionStore: files and connection", () => {
  it("creates .victor/ with mode 0700 and project.db with mode 0600 in the project root", async () => {
    const root = realpathSync(tempDir());
    mkdirSync(join(root, ".git"));
    const cwd = join(root, "src", "deep");
    mkdirSync(cwd, { recursive: true });
    const store = await openSessionStore({ cwd, env: {} });
    try {
      expect(store.dbPath).toBe(join(root, ".victor", "project.db"));
      expect(statSync(join(root, ".victor")).mode & 0o777).toBe(0o700);
      expect(statSync(join(root, ".victor", "project.db")).mode & 0o777).toBe(0o600);
    } finally {
      await store.close();
    }
  });

  it("uses WAL journal mode, and applies + records every shipped migration", async () => {
    const dir = tempDir();
    const dbPath = join(dir, "x.db");
    const store = await openTracked(dbPath);
    await store.saveSession(input(msgs("hi")));
    const mode = raw(dbPath, (db) => db.pragma("journal_mode", { simple: true }));
    expect(mode).toBe("wal");
    const rows = raw(dbPath, (db) => db.prepare(`SELECT hash, created_at FROM __drizzle_migrations ORDER BY created_at`).all()) as {
      hash: string;
      created_at: number;
    }[];
    expect(rows.map((r) => Number(r.created_at))).toEqual(journal.entries.map((e) => e.when));
    for (const r of rows) expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
    const tables = raw(dbPath, (db) => (db.prepare(`SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name`).all() as { name: string }[]).map((r) => r.name));
    expect(tables).toEqual(expect.arrayContaining(["sessions", "messages", "legacy_imports", "messages_fts", "__drizzle_migrations"]));
  });

  it("foreign keys are on: deleting a session cascades to its messages", async () => {
    const dbPath = join(tempDir(), "fk.db");
    const store = await openTracked(dbPath);
    const { sessionId } = await store.saveSession(input(msgs("a", "b", "c")));
    expect(raw(dbPath, (db) => db.prepare(`SELECT count(*) AS n FROM messages`).get())).toEqual({ n: 3 });
    expect(await store.deleteSession(sessionId)).toBe(true);
    expect(raw(dbPath, (db) => db.prepare(`SELECT count(*) AS n FROM messages`).get())).toEqual({ n: 0 });
  });

  it("re-opening keeps data and does not re-run migrations", async () => {
    const dbPath = join(tempDir(), "re.db");
    const a = await openSessionStore({ dbPath });
    const saved = await a.saveSession(input(msgs("persist me")));
    await a.close();
    const b = await openTracked(dbPath);
    const again = await openTracked(dbPath);
    expect((await b.loadSession(saved.sessionId))?.conversation.messages).toEqual(msgs("persist me"));
    expect(await again.countSessions()).toBe(1);
    expect(raw(dbPath, (db) => db.prepare(`SELECT count(*) AS n FROM __drizzle_migrations`).get())).toEqual({ n: journal.entries.length });
  });

  it("a database migrated by a newer release is refused and left unchanged", async () => {
    const dbPath = join(tempDir(), "newer.db");
    await (await openSessionStore({ dbPath })).close();
    const Database = (await import("better-sqlite3")).default;
    const db = new Database(dbPath);
    db.prepare(`INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('future', ?)`).run(journal.entries.at(-1)!.when + 1000);
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();
    const before = sha256File(dbPath);
    await expect(openSessionStore({ dbPath })).rejects.toBeInstanceOf(IncompatibleSchemaError);
    await expect(openSessionStore({ dbPath })).rejects.toThrow(/newer Victor release/);
    expect(sha256File(dbPath)).toBe(before);
  });

  it("readonly open of a missing file fails with DatabaseOpenError and creates nothing", async () => {
    const dir = tempDir();
    const dbPath = join(dir, "sub", "missing.db");
    await expect(openSessionStore({ dbPath, readonly: true })).rejects.toBeInstanceOf(DatabaseOpenError);
    expect(existsSync(join(dir, "sub"))).toBe(false);
  });

  it("a closed store refuses further calls with a typed error", async () => {
    const dbPath = join(tempDir(), "closed.db");
    const store = await openSessionStore({ dbPath });
    await store.close();
    await store.close(); // idempotent
    await expect(store.listSessions()).rejects.toBeInstanceOf(DatabaseOpenError);
    await expect(store.saveSession(input(msgs("x")))).rejects.toBeInstanceOf(DatabaseOpenError);
  });

  it("getSessionPersistence shares one store per resolved path", async () => {
    const dbPath = join(tempDir(), "shared.db");
    const a = await getSessionPersistence({ dbPath });
    const b = await getSessionPersistence({ dbPath, cwd: "/" });
    expect(a).toBe(b);
    await a.close();
  });

  // Regression: after the shared store was closed, getSessionPersistence() used to hand
  // back the same *closed* instance, which then failed every call ("the store was closed").
  it("getSessionPersistence after close() gives a usable store (not the closed one) (regression, fixed in 3f5b6c8)", async () => {
    const dbPath = join(tempDir(), "shared2.db");
    const a = await getSessionPersistence({ dbPath });
    await a.close();
    const b = await getSessionPersistence({ dbPath });
    try {
      await expect(b.countSessions()).resolves.toBe(0);
    } finally {
      await b.close();
    }
  });
});

describe("DB path discovery", () => {
  it("nearest ancestor with .victor/ wins over a nearer .git", () => {
    const root = tempDir();
    mkdirSync(join(root, ".victor"));
    const inner = join(root, "a", "b");
    mkdirSync(join(root, "a", ".git"), { recursive: true });
    mkdirSync(inner, { recursive: true });
    expect(findProjectRoot(inner)).toBe(root);
    expect(resolveDbPath({ cwd: inner, env: {} })).toBe(join(root, ".victor", "project.db"));
  });

  it("a .victor *file* does not count as a project marker", () => {
    const root = tempDir();
    writeFileSync(join(root, ".victor"), "not a dir");
    mkdirSync(join(root, "p", ".git"), { recursive: true });
    expect(findProjectRoot(join(root, "p"))).toBe(join(root, "p"));
  });

  it("else the nearest .git ancestor (dir or file, as in worktrees)", () => {
    const root = tempDir();
    mkdirSync(join(root, ".git"));
    mkdirSync(join(root, "x", "y"), { recursive: true });
    expect(findProjectRoot(join(root, "x", "y"))).toBe(root);
    const wt = tempDir();
    writeFileSync(join(wt, ".git"), "gitdir: /elsewhere\n");
    mkdirSync(join(wt, "sub"));
    expect(findProjectRoot(join(wt, "sub"))).toBe(wt);
  });

  it("else the cwd itself", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "plain"));
    expect(findProjectRoot(join(dir, "plain"))).toBe(join(dir, "plain"));
    expect(resolveDbPath({ cwd: join(dir, "plain"), env: {} })).toBe(join(dir, "plain", ".victor", "project.db"));
  });

  it("the home directory's .victor/ (legacy sessions) is not a project marker for subfolders", () => {
    const home = tempDir();
    process.env.HOME = home;
    mkdirSync(join(home, ".victor", "sessions"), { recursive: true });
    mkdirSync(join(home, "code", "proj"), { recursive: true });
    expect(findProjectRoot(join(home, "code", "proj"))).toBe(join(home, "code", "proj"));
    expect(findProjectRoot(home)).toBe(home);
  });

  it("dbPath beats VICTOR_DB_PATH, which beats discovery; relative paths resolve against cwd", () => {
    const dir = tempDir();
    mkdirSync(join(dir, ".victor"));
    expect(resolveDbPath({ cwd: dir, env: { VICTOR_DB_PATH: "/env/path.db" }, dbPath: "/flag/path.db" })).toBe("/flag/path.db");
    expect(resolveDbPath({ cwd: dir, env: { VICTOR_DB_PATH: "/env/path.db" } })).toBe("/env/path.db");
    expect(resolveDbPath({ cwd: dir, env: { VICTOR_DB_PATH: "rel/e.db" } })).toBe(join(dir, "rel", "e.db"));
    expect(resolveDbPath({ cwd: dir, env: {}, dbPath: "f.db" })).toBe(join(dir, "f.db"));
    expect(resolveDbPath({ cwd: dir, env: { VICTOR_DB_PATH: "" } })).toBe(join(dir, ".victor", "project.db"));
  });

  it("reads VICTOR_DB_PATH from process.env by default", () => {
    const saved = process.env.VICTOR_DB_PATH;
    try {
      process.env.VICTOR_DB_PATH = "/from/process/env.db";
      expect(resolveDbPath({ cwd: "/" })).toBe("/from/process/env.db");
    } finally {
      if (saved === undefined) delete process.env.VICTOR_DB_PATH;
      else process.env.VICTOR_DB_PATH = saved;
    }
  });

  it("expands ~ with HOME for --db and VICTOR_DB_PATH, but not ~user or inner ~", async () => {
    const home = tempDir();
    process.env.HOME = home;
    expect(expandHome("~")).toBe(home);
    expect(expandHome("~/a/b.db")).toBe(join(home, "a", "b.db"));
    expect(expandHome("~other/x")).toBe("~other/x");
    expect(resolveDbPath({ cwd: "/", dbPath: "~/flag.db", env: {} })).toBe(join(home, "flag.db"));
    expect(resolveDbPath({ cwd: "/", env: { VICTOR_DB_PATH: "~/env.db" } })).toBe(join(home, "env.db"));
    expect(resolveDbPath({ cwd: "/tmp", dbPath: "a/~/b.db", env: {} })).toBe("/tmp/a/~/b.db");
    const store = await openTracked(resolveDbPath({ dbPath: "~/.victor/tilde.db", env: {} }));
    expect(store.dbPath).toBe(join(home, ".victor", "tilde.db"));
    expect(statSync(join(home, ".victor", "tilde.db")).isFile()).toBe(true);
  });

  it("legacySessionDirs lists existing home and project sessions folders, deduplicated", () => {
    const home = tempDir();
    process.env.HOME = home;
    const proj = join(home, "proj");
    mkdirSync(join(proj, ".git"), { recursive: true });
    expect(legacySessionDirs(proj)).toEqual([]);
    mkdirSync(join(home, ".victor", "sessions"), { recursive: true });
    expect(legacySessionDirs(proj)).toEqual([join(home, ".victor", "sessions")]);
    mkdirSync(join(proj, ".victor", "sessions"), { recursive: true });
    expect(legacySessionDirs(join(proj))).toEqual([join(home, ".victor", "sessions"), join(proj, ".victor", "sessions")]);
    expect(legacySessionDirs(home)).toEqual([join(home, ".victor", "sessions")]);
  });

  it("legacySessionDirs and the default database take home from the environment they are given", () => {
    const processHome = tempDir();
    process.env.HOME = processHome;
    mkdirSync(join(processHome, ".victor", "sessions"), { recursive: true });
    const runHome = tempDir();
    mkdirSync(join(runHome, ".victor", "sessions"), { recursive: true });
    const env = { HOME: runHome };
    expect(legacySessionDirs(join(runHome, "nowhere"), env)).toEqual([join(runHome, ".victor", "sessions")]);
    // The run's home holds legacy sessions, not a project: a folder under it is its own project.
    mkdirSync(join(runHome, "proj"));
    expect(findProjectRoot(join(runHome, "proj"), env)).toBe(join(runHome, "proj"));
    expect(resolveDbPath({ cwd: join(runHome, "proj"), env })).toBe(join(runHome, "proj", ".victor", "project.db"));
  });
});

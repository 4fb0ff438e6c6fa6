import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { DatabaseOpenError, IncompatibleSchemaError, PythonVictorDatabaseError, openSessionStore, restoreDatabase, sqliteMaintenance, toIsoUtc } from "../src/index.js";
import { cleanupAll, freshStore, input, msgs, openTracked, raw, storeRebuiltByPythonVictor, tempDir } from "./helpers.js";

afterEach(cleanupAll);

const GUIDE_DB = fileURLToPath(new URL("../../migrate/test/fixtures/python-victor/guide-sqlite-session-persistence.db", import.meta.url));

const backupsIn = (dir: string) => readdirSync(dir).filter((n) => /\.backup-\d{8}-\d{6}(-\d+)?$/.test(n));

describe("verified backups", () => {
  it("remove what killed backups left and keep only the newest N automatic ones", async () => {
    const { store, dbPath, dir } = await freshStore();
    await store.saveSession(input(msgs("keep me"), { sessionId: "k" }));
    const deadPid = 2 ** 22 + 12345; // above pid_max: no such process
    const leftovers = [`.project.db.backup-20250101-000000.tmp-${deadPid}-abcd`, `.project.db.backup-20250101-000000.tmp-${deadPid}-abcd-journal`];
    for (const name of leftovers) writeFileSync(join(dir, name), "partial");
    writeFileSync(join(dir, "project.db.backup-20250101-000001"), ""); // a 0 B "backup" a killed release left
    const alive = `.project.db.backup-20250101-000002.tmp-${process.pid}-ffff`; // another backup in progress
    writeFileSync(join(dir, alive), "in progress");
    const first = await (await sqliteMaintenance(store)).backupTo(undefined, { keep: 3 });
    expect(first.removed.map((p) => p.slice(dir.length + 1)).sort()).toEqual([...leftovers, "project.db.backup-20250101-000001"].sort());
    expect(existsSync(join(dir, alive))).toBe(true);
    for (let i = 0; i < 4; i++) await (await sqliteMaintenance(store)).backupTo(undefined, { keep: 3 });
    const kept = backupsIn(dir);
    expect(kept).toHaveLength(3);
    for (const name of kept) {
      expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
      expect(raw(join(dir, name), (db) => db.prepare(`SELECT id FROM sessions`).pluck().all())).toEqual(["k"]);
    }
    expect(existsSync(first.path)).toBe(false);
    expect(raw(dbPath, (db) => db.prepare(`SELECT count(*) FROM sessions`).pluck().get())).toBe(1);
  });

  it("a backup killed half way leaves nothing under a backup name; the next one cleans up", async () => {
    const { store, dbPath, dir } = await freshStore();
    const big = "x".repeat(4000);
    const many = Array.from({ length: 60 }, (_, i) => msgs(`q${i} ${big}`, `a${i} ${big}`));
    for (let i = 0; i < 100; i++) await store.saveSession(input(many[i % 60]!.concat(msgs(`more ${i} ${big}`)), { sessionId: `s${i}` }));
    await store.close();
    const lib = fileURLToPath(new URL("../dist/index.js", import.meta.url));
    const child = spawn(process.execPath, ["--input-type=module", "-e", `import { openSessionStore, sqliteMaintenance } from ${JSON.stringify(lib)}; const s = await openSessionStore({ dbPath: ${JSON.stringify(dbPath)} }); const m = await sqliteMaintenance(s); for (;;) await m.backupTo();`], {
      stdio: "ignore",
    });
    const started = Date.now();
    while (!readdirSync(dir).some((n) => n.includes(".tmp-")) && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 2));
    child.kill("SIGKILL");
    await new Promise((r) => child.on("exit", r));
    for (const name of backupsIn(dir)) expect(readFileSync(join(dir, name)).subarray(0, 15).toString()).toBe("SQLite format 3");
    expect(readdirSync(dir).some((n) => n.includes(".tmp-"))).toBe(true);
    const again = await openTracked(dbPath);
    const result = await (await sqliteMaintenance(again)).backupTo();
    expect(result.removed.some((p) => p.includes(".tmp-"))).toBe(true);
    expect(readdirSync(dir).some((n) => n.includes(".tmp-"))).toBe(false);
  });
});

describe("restoreDatabase", () => {
  it("puts a backup back while another connection has the database open; the current one is backed up first", async () => {
    const { store, dbPath, dir } = await freshStore();
    await store.saveSession(input(msgs("before"), { sessionId: "a" }));
    const backup = await (await sqliteMaintenance(store)).backupTo(join(dir, "saved.db"));
    await store.saveSession(input(msgs("after"), { sessionId: "b" }));
    const result = await restoreDatabase(dbPath, backup.path);
    expect(result.content).toEqual({ kind: "victor", sessions: 1 });
    expect(raw(result.previousBackup!, (db) => db.prepare(`SELECT id FROM sessions ORDER BY id`).pluck().all())).toEqual(["a", "b"]);
    // The open store sees the restored file on its next read.
    expect((await store.listSessions()).map((s) => s.id)).toEqual(["a"]);
    expect(await (await sqliteMaintenance(store)).integrityCheck()).toBe("ok");
  });

  it("includes what a backup copied with cp kept in its -wal file", async () => {
    const dir = tempDir();
    const source = join(dir, "live.db");
    const writer = new Database(source);
    writer.pragma("journal_mode = WAL");
    writer.pragma("wal_autocheckpoint = 0");
    const setup = await openSessionStore({ dbPath: source });
    await setup.saveSession(input(msgs("only in the wal"), { sessionId: "w" }));
    copyFileSync(source, join(dir, "copy.db"));
    copyFileSync(`${source}-wal`, join(dir, "copy.db-wal"));
    await setup.close();
    writer.close();
    const target = join(dir, "project.db");
    const result = await restoreDatabase(target, join(dir, "copy.db"));
    expect(result.previousBackup).toBeNull();
    expect(raw(target, (db) => db.prepare(`SELECT id FROM sessions`).pluck().all())).toEqual(["w"]);
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it("refuses what is not a usable backup and changes nothing", async () => {
    const { store, dbPath, dir } = await freshStore();
    await store.saveSession(input(msgs("precious"), { sessionId: "p" }));
    const empty = join(dir, "empty.db");
    writeFileSync(empty, "");
    await expect(restoreDatabase(dbPath, empty)).rejects.toBeInstanceOf(IncompatibleSchemaError);
    await expect(restoreDatabase(dbPath, join(dir, "missing.db"))).rejects.toBeInstanceOf(DatabaseOpenError);
    const damaged = join(dir, "damaged.db");
    copyFileSync((await (await sqliteMaintenance(store)).backupTo(join(dir, "good.db"))).path, damaged);
    const bytes = readFileSync(damaged);
    for (let page = 1; page * 4096 < bytes.length; page++) bytes.fill(0x55, page * 4096, page * 4096 + 16); // every page header but the first
    writeFileSync(damaged, bytes);
    await expect(restoreDatabase(dbPath, damaged)).rejects.toThrow(/integrity check|malformed|damaged/);
    expect((await store.listSessions()).map((s) => s.id)).toEqual(["p"]);
    expect(backupsIn(dir)).toEqual([]);
  });

  it("restoring the backup taken before an upgrade gives the Python Victor's database back", async () => {
    const dir = tempDir();
    const dbPath = join(dir, "project.db");
    const store = await openTracked(dbPath);
    await store.saveSession(input(msgs("x"), { sessionId: "x" }));
    const result = await restoreDatabase(dbPath, GUIDE_DB);
    expect(result.content).toEqual({ kind: "python", sessions: 7, schemaName: "the SQLiteSessionPersistence schema" });
    await expect(openSessionStore({ dbPath })).rejects.toBeInstanceOf(PythonVictorDatabaseError);
  });
});

describe("naive timestamps in a given zone", () => {
  it("reads them as wall-clock time of that zone, DST included; offsets win", () => {
    expect(toIsoUtc("2026-01-08T14:02:52.123456", "America/Chicago")).toBe("2026-01-08T20:02:52.123Z");
    expect(toIsoUtc("2026-07-08 14:02:52", "America/Chicago")).toBe("2026-07-08T19:02:52.000Z");
    expect(toIsoUtc("2026-01-08 14:02:52", "UTC")).toBe("2026-01-08T14:02:52.000Z");
    expect(toIsoUtc("2026-07-08T14:00:00", "Europe/Berlin")).toBe("2026-07-08T12:00:00.000Z");
    expect(toIsoUtc("2026-01-08T14:00:00", "Europe/Berlin")).toBe("2026-01-08T13:00:00.000Z");
    expect(toIsoUtc("2026-01-08T14:02:52+00:00", "America/Chicago")).toBe("2026-01-08T14:02:52.000Z");
  });
});

describe("Victor's tables and the Python Victor", () => {
  it("a messages table rebuilt by the Python Victor 0.7+ is a clear error with the way back", async () => {
    const dbPath = await storeRebuiltByPythonVictor();
    await expect(openSessionStore({ dbPath })).rejects.toThrow(/messages table was rebuilt by another program.*victor sessions restore/);
  });

  it("the names the Python Victor's rebuild needs are taken, so it cannot start one", async () => {
    const { dbPath } = await freshStore();
    const db = new Database(dbPath);
    expect(() => db.exec(`CREATE TABLE messages_new (id TEXT)`)).toThrow(/already exists/);
    expect(() => db.exec(`CREATE TRIGGER IF NOT EXISTS messages_fts_insert AFTER INSERT ON messages BEGIN SELECT 1; END`)).not.toThrow();
    expect(db.prepare(`SELECT tbl_name FROM sqlite_master WHERE name = 'messages_fts_insert'`).pluck().get()).toBe("messages_new");
    db.close();
  });
});

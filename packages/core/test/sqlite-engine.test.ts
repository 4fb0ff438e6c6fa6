import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { BackupPathError, DatabaseOpenError, sqliteMaintenance } from "../src/index.js";
import { cleanupAll, freshStore, input, msgs, openTracked, raw, tempDir } from "./helpers.js";

// What only the SQLite engine has: its FTS5 index (kept right by triggers and the store), file
// maintenance (verified backups, integrity check, reindex) and file-level migrations. What both
// engines share is in the contract suite (describeEngines).

afterEach(cleanupAll);

function ftsIntegrity(dbPath: string): void {
  const db = new Database(dbPath);
  try {
    db.prepare(`INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')`).run();
  } finally {
    db.close();
  }
}

describe("the FTS5 index", () => {
  it("follows saves, rewrites and deletes (FTS5's own integrity check passes)", async () => {
    const { store, dbPath } = await freshStore();
    for (let i = 0; i < 20; i++) await store.saveSession(input(msgs(`q ${i}`, `a ${i}`), { sessionId: `s${i % 5}`, force: true }));
    await store.saveSession(input(msgs("zebra crossing question", "zebra answer"), { sessionId: "del" }));
    await store.deleteSession("del");
    expect(raw(dbPath, (db) => db.prepare(`SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH 'zebra'`).get())).toEqual({ n: 0 });
    await store.deleteSessions({ prefix: "s1" });
    ftsIntegrity(dbPath);
    await store.deleteSessions({ all: true });
    ftsIntegrity(dbPath);
    expect(raw(dbPath, (db) => db.prepare(`SELECT count(*) FROM preview_fts`).pluck().get())).toBe(0);
  });

  it("an import batch that writes the same session twice keeps the index right", async () => {
    const { store, dbPath } = await freshStore();
    await store.importSessions([
      { input: { ...input(msgs("first copy")), sessionId: "twice" }, onConflict: "overwrite", source: { key: "/a", size: 1, sha256: "a" } },
      { input: { ...input(msgs("second copy")), sessionId: "twice" }, onConflict: "overwrite", source: { key: "/b", size: 1, sha256: "b" } },
    ]);
    ftsIntegrity(dbPath);
    expect((await store.searchSessions("second")).map((r) => [r.id, r.matchInContext])).toEqual([["twice", true]]);
    // The first copy is kept, outside the context: found, and said to be so.
    expect((await store.searchSessions("first")).map((r) => [r.id, r.matchInContext])).toEqual([["twice", false]]);
  });

  it("rebuildSearchIndex indexes messages and previews written by hand with sqlite3", async () => {
    const { store, dbPath } = await freshStore();
    await store.saveSession(input(msgs("first words"), { sessionId: "h1" }));
    const byHand = new Database(dbPath);
    byHand.prepare(`INSERT INTO messages (session_id, position, role, content) VALUES ('h1', 1, 'user', 'handwritten zeppelin')`).run();
    const preview = [{ role: "system", content: "FILE PREVIEW: app.py", metadata: { preview_path: "app.py", preview_body: "dirigible" } }];
    byHand.prepare(`UPDATE sessions SET data = json_set(data, '$.conversation.preview_messages', json(?)) WHERE id = 'h1'`).run(JSON.stringify(preview));
    byHand.close();
    expect(await store.searchSessions("zeppelin")).toEqual([]);
    expect(await store.searchSessions("dirigible")).toEqual([]);
    expect(await (await sqliteMaintenance(store)).rebuildSearchIndex()).toBe(2);
    expect((await store.searchSessions("zeppelin")).map((r) => r.id)).toEqual(["h1"]);
    expect((await store.searchSessions("dirigible")).map((r) => r.id)).toEqual(["h1"]);
    expect((await store.searchSessions("first")).map((r) => r.id)).toEqual(["h1"]);
  });
});

describe("file maintenance", () => {
  it("backupTo writes a valid, complete copy and refuses to overwrite", async () => {
    const { store, dir } = await freshStore();
    await store.saveSession(input(msgs("back me up", "ok"), { sessionId: "b1" }));
    const dest = join(dir, "backup.db");
    const maintenance = await sqliteMaintenance(store);
    expect(await maintenance.backupTo(dest)).toMatchObject({ path: dest, rowCounts: expect.objectContaining({ sessions: 1, messages: 2 }) });
    expect(statSync(dest).mode & 0o777).toBe(0o600); // chats hold secrets: the copy is as private as the database
    const copy = await openTracked(dest, { readonly: true });
    expect(await (await sqliteMaintenance(copy)).integrityCheck()).toBe("ok");
    expect(await copy.loadSession("b1")).toEqual(await store.loadSession("b1"));
    expect((await copy.searchSessions("back")).map((r) => r.id)).toEqual(["b1"]);
    const existing = join(dir, "existing.db");
    writeFileSync(existing, "precious");
    await expect(maintenance.backupTo(existing)).rejects.toBeInstanceOf(BackupPathError);
    expect(readFileSync(existing, "utf8")).toBe("precious");
    const missing = join(tempDir(), "no", "such", "dir", "b.db");
    await expect(maintenance.backupTo(missing)).rejects.toThrow(new BackupPathError(missing, "its folder does not exist; create it first or choose another path"));
    expect(existsSync(missing)).toBe(false);
  });

  it("without a destination: <db>.backup-YYYYMMDD-HHMMSS next to the database, -2 when that name is taken", async () => {
    const { store, dbPath } = await freshStore();
    await store.saveSession(input(msgs("keep me"), { sessionId: "k1" }));
    const maintenance = await sqliteMaintenance(store);
    const first = (await maintenance.backupTo()).path;
    expect(first).toMatch(new RegExp(`^${dbPath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.backup-\\d{8}-\\d{6}(-\\d+)?$`));
    const second = (await maintenance.backupTo()).path;
    expect(second).not.toBe(first);
    expect((await (await openTracked(second, { readonly: true })).loadSession("k1"))?.metadata.session_id).toBe("k1");
  });
});

describe("several processes opening a brand-new file", () => {
  it("4 processes opening it at once all migrate safely, each migration applied once", async () => {
    const dist = fileURLToPath(new URL("../dist/index.js", import.meta.url));
    const worker = fileURLToPath(new URL("./fixtures/concurrent-worker.mjs", import.meta.url));
    const dbPath = join(tempDir(), "fresh", "new.db");
    const startAt = String(Date.now() + 500);
    // The worker opens the store before the start barrier: all four race on creation + migration.
    const runs = Array.from({ length: 4 }, (_, w) =>
      new Promise<{ errors: string[] }>((resolve, reject) => {
        const child = spawn(process.execPath, [worker, pathToFileURL(dist).href, JSON.stringify({ dbPath }), "new", String(w), "3", startAt], { stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("error", reject);
        child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim()) as { errors: string[] }) : reject(new Error(`worker exited ${code}: ${err}`))));
      }),
    );
    expect((await Promise.all(runs)).flatMap((r) => r.errors)).toEqual([]);
    const journal = JSON.parse(readFileSync(new URL("../drizzle/sqlite/meta/_journal.json", import.meta.url), "utf8")) as { entries: unknown[] };
    expect(raw(dbPath, (db) => db.prepare(`SELECT count(*) AS n FROM __drizzle_migrations`).get())).toEqual({ n: journal.entries.length });
    raw(dbPath, (db) => expect(db.prepare(`SELECT count(*) AS n FROM sessions`).get()).toEqual({ n: 12 }));
  });
});

describe("errors", () => {
  it("a full disk is said so, whether SQLite reports SQLITE_FULL or an I/O error with no space left", async () => {
    const { toVictorError } = await import("../src/engine/sqlite/errors.js");
    const full = toVictorError(Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" }), "/p/project.db");
    expect(full).toBeInstanceOf(DatabaseOpenError);
    expect(full.message).toBe("Cannot use the session database /p/project.db: the disk is full. Free some space; nothing was saved.");
    const ioNoSpace = toVictorError(Object.assign(new Error("disk I/O error"), { code: "SQLITE_IOERR_WRITE" }), "/p/project.db", () => 4096);
    expect(ioNoSpace.message).toBe(full.message);
    const ioOther = Object.assign(new Error("disk I/O error"), { code: "SQLITE_IOERR_READ" });
    expect(toVictorError(ioOther, "/p/project.db", () => 10 ** 12)).toBe(ioOther);
  });
});

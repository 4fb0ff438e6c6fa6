import Database from "better-sqlite3";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readdirSync, readSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { BackupPathError, DatabaseOpenError } from "../../../domain/errors.js";
import { localStamp } from "../../../domain/time.js";
import { quoteId } from "../python-schema.js";
import { DEFAULT_BACKUPS_KEPT, type BackupResult } from "./types.js";

const SQLITE_HEADER = "SQLite format 3\0";

/** `<db>.backup-YYYYMMDD-HHMMSS`, with `-2`, `-3`, … when that name is taken. */
export function defaultBackupPath(dbPath: string, date = new Date()): string {
  const base = `${dbPath}.backup-${localStamp(date, "-")}`;
  let candidate = base;
  for (let n = 2; existsSync(candidate); n++) candidate = `${base}-${n}`;
  return candidate;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The automatic backups of `dbPath` (default names only), oldest first. */
function automaticBackups(dbPath: string): string[] {
  const pattern = new RegExp(`^${escapeRegExp(basename(dbPath))}\\.backup-(\\d{8}-\\d{6})(?:-(\\d+))?$`);
  const dir = dirname(dbPath);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((name) => ({ name, match: pattern.exec(name) }))
    .filter((e): e is { name: string; match: RegExpExecArray } => e.match !== null)
    .sort((a, b) => a.match[1]!.localeCompare(b.match[1]!) || Number(a.match[2] ?? 1) - Number(b.match[2] ?? 1))
    .map((e) => join(dir, e.name));
}

/** Whether the file starts like an SQLite database (an empty or cut file does not). */
export function looksLikeSqlite(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const header = Buffer.alloc(16);
    return readSync(fd, header, 0, 16, 0) === 16 && header.toString("latin1") === SQLITE_HEADER;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const TEMP_MARKER = ".tmp-";

/** The temporary name a backup is written under until it has passed its check. */
function temporaryName(destination: string): string {
  return join(dirname(destination), `.${basename(destination)}${TEMP_MARKER}${process.pid}-${randomBytes(4).toString("hex")}`);
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes what killed backups left in `dir`: temporary copies (and their -journal files) of
 * processes that no longer run, and files under an automatic backup name that are not a
 * database at all (releases before this one wrote there directly).
 */
export function removeBackupLeftovers(dbPath: string): string[] {
  const dir = dirname(dbPath);
  const prefix = `.${basename(dbPath)}.backup-`;
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const marker = name.lastIndexOf(TEMP_MARKER);
    if (marker < 0) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(marker + TEMP_MARKER.length))?.[1]);
    if (!Number.isInteger(pid) || processIsAlive(pid)) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(join(dir, name));
  }
  for (const path of automaticBackups(dbPath)) {
    if (looksLikeSqlite(path)) continue;
    for (const file of [path, `${path}-journal`, `${path}-wal`, `${path}-shm`]) {
      if (!existsSync(file)) continue;
      rmSync(file, { force: true });
      removed.push(file);
    }
  }
  return removed;
}

/** Keeps the newest `keep` automatic backups of `dbPath`; returns the paths removed. */
export function pruneAutomaticBackups(dbPath: string, keep: number): string[] {
  const all = automaticBackups(dbPath);
  const excess = all.slice(0, Math.max(0, all.length - Math.max(1, keep)));
  for (const path of excess) rmSync(path, { force: true });
  return excess;
}

/** Real tables (virtual tables are counted through their shadow tables). */
export function realTables(sqlite: Database.Database): string[] {
  return (
    sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND (sql IS NULL OR sql NOT LIKE 'CREATE VIRTUAL TABLE%') ORDER BY name`).pluck().all() as string[]
  );
}

export function rowCounts(sqlite: Database.Database): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const table of realTables(sqlite)) counts[table] = (sqlite.prepare(`SELECT count(*) FROM ${quoteId(table)}`).pluck().get() as number) ?? 0;
  return counts;
}

function describeCountMismatch(expected: Record<string, number>, actual: Record<string, number>): string | null {
  const names = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  for (const name of names) {
    if (expected[name] !== actual[name]) return `table ${name} has ${actual[name] ?? "no"} rows instead of ${expected[name] ?? "none"}`;
  }
  return null;
}

/** Opens an SQLite file for checking without creating anything next to it (a VACUUM INTO copy is not in WAL mode). */
function openForCheck(path: string): Database.Database {
  return new Database(path, { readonly: true, fileMustExist: true });
}

/** integrity_check and per-table row counts of a finished copy; throws when either is wrong. */
export function verifyCopy(path: string, expected: Record<string, number>): void {
  const copy = openForCheck(path);
  try {
    const problems = (copy.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check);
    if (problems.join("\n") !== "ok") throw new DatabaseOpenError(path, `the copy failed its integrity check (${problems.slice(0, 3).join("; ")})`);
    const mismatch = describeCountMismatch(expected, rowCounts(copy));
    if (mismatch) throw new DatabaseOpenError(path, `the copy is incomplete: ${mismatch}`);
  } finally {
    copy.close();
  }
}

function fsyncFile(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const ALREADY_THERE = "a file is already there; choose another backup path";

/** Puts the checked copy at `destination`, never replacing a file that appeared there meanwhile. */
function publish(temp: string, destination: string): void {
  try {
    linkSync(temp, destination);
    rmSync(temp, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw new BackupPathError(destination, ALREADY_THERE);
    // File systems without hard links: a rename, after the same check.
    if (existsSync(destination)) throw new BackupPathError(destination, ALREADY_THERE);
    renameSync(temp, destination);
  }
}

export interface VerifiedBackupOptions {
  /** Where to put the copy; default: an automatic backup name next to the database. */
  destination?: string;
  /** How many automatic backups to keep after this one (default DEFAULT_BACKUPS_KEPT). */
  keep?: number;
}

/**
 * A verified copy of the database at `dbPath`, taken while `lockHolder` (a connection to the same
 * file) holds the write lock, so nobody can commit between counting and copying: SQLite's VACUUM
 * INTO writes a temporary file (mode 0600 — it holds the same secrets), which must pass
 * integrity_check and have every table's row count before it is renamed to its final name. A
 * killed run leaves only a temporary name, which the next backup removes.
 */
export function writeVerifiedBackup(dbPath: string, lockHolder: Database.Database, options: VerifiedBackupOptions = {}): BackupResult {
  if (!lockHolder.inTransaction) throw new Error("writeVerifiedBackup needs the write lock held (BEGIN IMMEDIATE)");
  const automatic = options.destination === undefined;
  const destination = options.destination ?? defaultBackupPath(dbPath);
  if (existsSync(destination)) throw new BackupPathError(destination, ALREADY_THERE);
  if (!existsSync(dirname(destination))) throw new BackupPathError(destination, "its folder does not exist; create it first or choose another path");
  const removed = removeBackupLeftovers(dbPath);
  const expected = rowCounts(lockHolder);
  const temp = temporaryName(destination);
  closeSync(openSync(temp, "wx", 0o600));
  try {
    // A second connection: VACUUM INTO cannot run inside the lock holder's transaction. It reads
    // the last committed state, which is the lock holder's, since nobody else can commit now.
    const reader = new Database(dbPath, { fileMustExist: true });
    try {
      reader.pragma("busy_timeout = 10000");
      reader.prepare(`VACUUM INTO ?`).run(temp);
    } finally {
      reader.close();
    }
    verifyCopy(temp, expected);
    fsyncFile(temp);
    publish(temp, destination);
  } catch (error) {
    rmSync(temp, { force: true });
    rmSync(`${temp}-journal`, { force: true });
    throw error;
  }
  if (automatic) removed.push(...pruneAutomaticBackups(dbPath, options.keep ?? DEFAULT_BACKUPS_KEPT));
  return { path: destination, rowCounts: expected, removed };
}

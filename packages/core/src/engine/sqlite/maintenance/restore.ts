import Database from "better-sqlite3";
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DatabaseLockedError, DatabaseOpenError, IncompatibleSchemaError } from "../../../domain/errors.js";
import { assertNotNewer } from "../connection.js";
import { MIGRATIONS_TABLE } from "../schema-version.js";
import { looksLikeSqlite, rowCounts, writeVerifiedBackup } from "./backup.js";
import { hasTable, inspectPythonTables } from "../python-schema.js";
import { PYTHON_SCHEMA_NAMES, type DatabaseContent, type RestoreResult } from "./types.js";

const LOCK_WAIT_MS = 10_000;

/** Whether `sqlite` holds Victor's sessions (of a release this one can read) or the Python Victor's. */
export function recogniseContent(sqlite: Database.Database, path: string): DatabaseContent {
  if (hasTable(sqlite, MIGRATIONS_TABLE) && hasTable(sqlite, "sessions")) {
    assertNotNewer(sqlite, path);
    return { kind: "victor", sessions: sqlite.prepare(`SELECT count(*) FROM sessions`).pluck().get() as number };
  }
  const python = inspectPythonTables(sqlite);
  if (python) return { kind: "python", sessions: python.sessionCount, schemaName: PYTHON_SCHEMA_NAMES[python.kind] };
  throw new IncompatibleSchemaError(path, "it holds no Victor sessions (neither this Victor's nor the Python Victor's)");
}

/**
 * A private copy of the backup to restore from, with its own -wal applied when it has one (a copy
 * made with `cp` while Victor ran keeps its last transactions there), checked with integrity_check.
 * The user's file is only read.
 */
function stage(file: string): { dir: string; sqlite: Database.Database } {
  const dir = mkdtempSync(join(tmpdir(), "victor-restore-"));
  try {
    const staged = join(dir, "restore.db");
    copyFileSync(file, staged);
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${staged}-wal`);
    const sqlite = new Database(staged, { fileMustExist: true });
    try {
      sqlite.pragma("wal_checkpoint(TRUNCATE)");
      const problems = (sqlite.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check);
      if (problems.join("\n") !== "ok") {
        throw new DatabaseOpenError(file, `it failed its integrity check (${problems.slice(0, 3).join("; ")}); nothing was changed`);
      }
      return { dir, sqlite };
    } catch (error) {
      sqlite.close();
      throw error;
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A verified backup of the current database before it is replaced; null when there is none. */
function backUpCurrent(dbPath: string, keep: number | undefined): string | null {
  if (!existsSync(dbPath) || !looksLikeSqlite(dbPath)) return null;
  const live = new Database(dbPath, { fileMustExist: true });
  try {
    live.pragma(`busy_timeout = ${LOCK_WAIT_MS}`);
    live.exec("BEGIN IMMEDIATE");
    try {
      return writeVerifiedBackup(dbPath, live, { keep }).path;
    } finally {
      live.exec("ROLLBACK");
    }
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith("SQLITE_BUSY")) throw new DatabaseLockedError(dbPath, { cause: error });
    throw error;
  } finally {
    live.close();
  }
}

/**
 * Replaces the database at `dbPath` with the backup `file`, safely: the backup is checked on a
 * private copy first, the current database is backed up (verified) before anything changes, and
 * the pages are written by SQLite's own backup API into the live file — so its -wal/-shm stay
 * consistent and other Victor processes see the restored database on their next read (never a
 * stale write-ahead log replayed over it, as copying the file over would risk). The result is
 * checked again with integrity_check and per-table row counts.
 */
export async function restoreDatabase(dbPath: string, file: string, options: { keep?: number } = {}): Promise<RestoreResult> {
  if (!existsSync(file)) throw new DatabaseOpenError(file, "the file does not exist");
  if (!looksLikeSqlite(file)) throw new IncompatibleSchemaError(file, "the file is not an SQLite database (an empty or partial copy?)");
  const { dir, sqlite } = stage(file);
  try {
    const content = recogniseContent(sqlite, file);
    const expected = rowCounts(sqlite);
    const previousBackup = backUpCurrent(dbPath, options.keep);
    if (!existsSync(dbPath)) {
      mkdirSync(dirname(dbPath), { recursive: true, mode: 0o700 });
      closeSync(openSync(dbPath, "wx", 0o600));
    }
    const started = Date.now();
    await sqlite.backup(dbPath, {
      progress: () => {
        if (Date.now() - started > LOCK_WAIT_MS) throw new DatabaseLockedError(dbPath);
        return 1000;
      },
    });
    const restored = new Database(dbPath, { fileMustExist: true });
    try {
      const problems = (restored.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check);
      const counts = rowCounts(restored);
      const mismatch = Object.keys({ ...expected, ...counts }).find((t) => expected[t] !== counts[t]);
      if (problems.join("\n") !== "ok" || mismatch !== undefined) {
        throw new DatabaseOpenError(
          dbPath,
          `the restored database did not check out (${problems.join("\n") !== "ok" ? problems[0] : `table ${mismatch} differs`}); ` +
            (previousBackup ? `the previous database is in ${previousBackup}` : "restore again"),
        );
      }
    } finally {
      restored.close();
    }
    return { dbPath, restoredFrom: file, previousBackup, content, rowCounts: expected };
  } finally {
    sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

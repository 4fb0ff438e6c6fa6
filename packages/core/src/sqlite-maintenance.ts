import { UnsupportedOnEngineError } from "./domain/errors.js";
import { KnownBases } from "./domain/save-base.js";
import { SnapshotCache } from "./domain/snapshot-cache.js";
import { importInTransaction } from "./import-sessions.js";
import type { BackupResult, PythonDatabaseReader, PythonUpgradeOptions, PythonUpgradeResult, RestoreResult } from "./engine/sqlite/maintenance/types.js";
import type { SqliteEngine } from "./engine/sqlite/engine.js";
import { engineOf, type SessionStore } from "./store.js";

/**
 * SQLite's file maintenance — verified backups and restores, integrity checks, rebuilding the
 * full-text index, the Python Victor's databases — apart from the session store: it works on
 * files, not sessions, and a PostgreSQL server has its own tools for it. The functions load the
 * SQLite engine only when called.
 */
export {
  DEFAULT_BACKUPS_KEPT,
  PYTHON_SCHEMA_NAMES,
  backupsToKeepFromEnv,
  pythonSourceKey,
  type BackupResult,
  type DatabaseContent,
  type DroppedTrigger,
  type PythonConversion,
  type PythonDatabaseInfo,
  type PythonDatabaseReader,
  type PythonRow,
  type PythonSchemaKind,
  type PythonSessionOutcome,
  type PythonSessionRecord,
  type PythonTables,
  type PythonUpgradeOptions,
  type PythonUpgradePlan,
  type PythonUpgradeResult,
  type PythonValue,
  type RenamedObject,
  type RestoreResult,
} from "./engine/sqlite/maintenance/types.js";

export interface SqliteMaintenance {
  /**
   * A consistent, verified copy of the database (VACUUM INTO under the write lock, integrity_check
   * and per-table row counts, written under a temporary name and renamed once checked). Refuses to
   * overwrite an existing file. Without a destination: `<db>.backup-YYYYMMDD-HHMMSS` next to the
   * database, keeping the newest `keep` of those (default 5).
   */
  backupTo(destination?: string, options?: { keep?: number }): Promise<BackupResult>;
  /** PRAGMA integrity_check: "ok" or the problems SQLite found. */
  integrityCheck(): Promise<string>;
  /**
   * Rebuilds the full-text indexes from the tables: for rows written by hand (sqlite3) or by
   * another tool, which the store did not index. Returns how many messages are indexed.
   */
  rebuildSearchIndex(): Promise<number>;
}

/** The maintenance of a store's SQLite file; UnsupportedOnEngineError for a store on a PostgreSQL server. */
export async function sqliteMaintenance(store: SessionStore): Promise<SqliteMaintenance> {
  const engine = engineOf(store);
  if (engine.kind !== "sqlite") {
    throw new UnsupportedOnEngineError(
      engine.location,
      "Backups, restores, integrity checks and reindexing are maintenance of an SQLite file; a PostgreSQL server has its own (pg_dump, amcheck, REINDEX)",
    );
  }
  const { storeMaintenance } = await import("./engine/sqlite/maintenance/store-maintenance.js");
  return storeMaintenance(engine as SqliteEngine);
}

/**
 * Replaces the database at `dbPath` with the backup `file`, safely: the backup is checked on a
 * private copy first, the current database is backed up (verified) before anything changes, and
 * the pages are written by SQLite's own backup API into the live file. See restore.ts.
 */
export async function restoreDatabase(dbPath: string, file: string, options: { keep?: number } = {}): Promise<RestoreResult> {
  const { restoreDatabase: restore } = await import("./engine/sqlite/maintenance/restore.js");
  return restore(dbPath, file, options);
}

/** Opens a Python Victor database to read its sessions, never changing it. See python-reader.ts. */
export async function openPythonDatabase(path: string): Promise<PythonDatabaseReader> {
  const { openPythonDatabase: open } = await import("./engine/sqlite/maintenance/python-reader.js");
  return open(path);
}

/** Upgrades a Python Victor database in place (verified backup first); null when it is not one. See upgrade-in-place.ts. */
export async function upgradePythonDatabase(dbPath: string, options: PythonUpgradeOptions): Promise<PythonUpgradeResult | null> {
  const { upgradePythonDatabase: upgrade } = await import("./engine/sqlite/maintenance/upgrade-in-place.js");
  return upgrade(dbPath, options, async (tx, items) => (await importInTransaction({ tx, snapshots: new SnapshotCache(), known: new KnownBases() }, items)).results);
}

import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { applyMigrations, victorObjectNames, type Connection } from "../connection.js";
import { importInTransaction } from "../../../import-sessions.js";
import { recordFailure } from "../../../ledger.js";
import type { SaveContext } from "../../../save-session.js";
import * as schema from "../schema.js";
import { SnapshotCache } from "../../../domain/snapshot-cache.js";
import { toVictorError } from "../errors.js";
import { prepareStatements } from "../access.js";
import { isoNow } from "../../../domain/time.js";
import { InvalidSessionDataError, InvalidSessionIdError } from "../../../domain/errors.js";
import type { ImportItem, ImportItemResult } from "../../../domain/types.js";
import { writeVerifiedBackup, type BackupResult } from "./backup.js";
import { readPythonSessions, type PythonSessionRecord } from "./python-rows.js";
import { inspectPythonTables, type PythonDatabaseInfo } from "./python-schema.js";
import { executePythonUpgrade, planPythonUpgrade, type PythonUpgradePlan } from "./python-upgrade.js";

/** One Python session converted for import, or why it cannot be. */
export type PythonConversion = { item: ImportItem } | { failed: string };

/** The ledger key of a Python Victor database row: `<db path>#sessions/<id>`. */
export function pythonSourceKey(dbPath: string, record: Pick<PythonSessionRecord, "table" | "key">): string {
  return `${dbPath}#${record.table}/${record.key}`;
}

export interface PythonSessionOutcome {
  record: PythonSessionRecord;
  result: ImportItemResult | null;
  failed: string | null;
}

export interface PythonUpgradeOptions {
  /** How many automatic backups to keep (default 5). */
  keepBackups?: number;
  busyTimeoutMs?: number;
  convert(record: PythonSessionRecord, info: PythonDatabaseInfo): PythonConversion;
  onBackup?(backup: BackupResult): void;
  onSession?(outcome: PythonSessionOutcome): void;
}

export interface PythonUpgradeResult {
  plan: PythonUpgradePlan;
  backup: BackupResult;
}

/**
 * Upgrades a Python Victor database in place, all under one write lock:
 * 1. a verified backup (see writeVerifiedBackup) — nobody can write between it and the upgrade;
 * 2. one transaction: the Python's session tables, their indexes and FTS table renamed aside (its
 *    triggers dropped, their SQL recorded), Victor's schema created, and every Python session
 *    imported with a ledger row (a session that cannot be converted is recorded as failed; the
 *    others go on). A failure anywhere rolls everything back: the file is as it was.
 * Every table of the Python Victor's other features is left as it is. Returns null when the file
 * is not (or no longer — another run got there first) a Python Victor database.
 */
export function upgradePythonDatabase(dbPath: string, options: PythonUpgradeOptions): PythonUpgradeResult | null {
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(dbPath, { fileMustExist: true });
    sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("journal_mode = WAL");
    sqlite.exec("BEGIN IMMEDIATE");
    try {
      const info = inspectPythonTables(sqlite);
      if (!info) {
        sqlite.exec("ROLLBACK");
        return null;
      }
      const backup = writeVerifiedBackup(dbPath, sqlite, { keep: options.keepBackups });
      options.onBackup?.(backup);
      const plan = planPythonUpgrade(sqlite, info, victorObjectNames());
      executePythonUpgrade(sqlite, plan);
      applyMigrations(sqlite);
      importRenamedSessions(dbPath, sqlite, { ...info, tables: plan.renamedTables }, options);
      recordUpgrade(sqlite, plan, backup);
      sqlite.exec("COMMIT");
      return { plan, backup };
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
      throw error;
    }
  } catch (error) {
    throw toVictorError(error, dbPath);
  } finally {
    sqlite?.close();
  }
}

function importRenamedSessions(dbPath: string, sqlite: Database.Database, info: PythonDatabaseInfo, options: PythonUpgradeOptions): void {
  const conn: Connection = { path: dbPath, sqlite, db: drizzle(sqlite, { schema }), readonly: false };
  const ctx: SaveContext = { conn, statements: prepareStatements(conn), snapshots: new SnapshotCache() };
  for (const record of readPythonSessions(sqlite, info)) {
    const converted = options.convert(record, info);
    if ("failed" in converted) {
      fail(conn, record, converted.failed, options);
      continue;
    }
    let result: ImportItemResult;
    try {
      // A savepoint per session: one that the store rejects is rolled back alone.
      result = sqlite.transaction(() => importInTransaction(ctx, [converted.item]).results[0]!)();
    } catch (error) {
      if (!(error instanceof InvalidSessionDataError || error instanceof InvalidSessionIdError)) throw error;
      fail(conn, record, error.message, options);
      continue;
    }
    options.onSession?.({ record, result, failed: null });
  }
}

function fail(conn: Connection, record: PythonSessionRecord, reason: string, options: PythonUpgradeOptions): void {
  const entry = { sourcePath: pythonSourceKey(conn.path, record), size: record.size, sha256: record.sha256, sessionId: null, outcome: "failed" as const, reason, importedAt: isoNow(), revision: null };
  recordFailure(conn, entry);
  options.onSession?.({ record, result: null, failed: reason });
}

function recordUpgrade(sqlite: Database.Database, plan: PythonUpgradePlan, backup: BackupResult): void {
  sqlite
    .prepare(
      `INSERT INTO python_upgrades (upgraded_at, schema_kind, backup_path, sessions, renamed, dropped_triggers) VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .run(isoNow(), plan.info.kind, backup.path, plan.info.sessionCount, JSON.stringify(plan.renamed), JSON.stringify(plan.droppedTriggers));
}

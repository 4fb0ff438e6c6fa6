import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { InvalidSessionDataError, InvalidSessionIdError } from "../../../domain/errors.js";
import { isoNow } from "../../../domain/time.js";
import type { ImportItem, ImportItemResult } from "../../../domain/types.js";
import type { EngineTransaction } from "../../engine.js";
import { SqliteAccess } from "../access.js";
import { applyMigrations, victorObjectNames, type Connection } from "../connection.js";
import { toVictorError } from "../errors.js";
import * as schema from "../schema.js";
import { writeVerifiedBackup } from "./backup.js";
import { readPythonSessions } from "./python-rows.js";
import { inspectPythonTables } from "../python-schema.js";
import { executePythonUpgrade, planPythonUpgrade } from "./python-upgrade.js";
import { pythonSourceKey, type BackupResult, type PythonDatabaseInfo, type PythonSessionRecord, type PythonUpgradeOptions, type PythonUpgradePlan, type PythonUpgradeResult } from "./types.js";

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
/** The store's one import, run inside the upgrade's transaction: handed in, since the store sits above the engines. */
export type ImportInTransaction = (tx: EngineTransaction, items: readonly ImportItem[]) => Promise<ImportItemResult[]>;

export async function upgradePythonDatabase(dbPath: string, options: PythonUpgradeOptions, importItems: ImportInTransaction): Promise<PythonUpgradeResult | null> {
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
      await importRenamedSessions(dbPath, sqlite, { ...info, tables: plan.renamedTables }, options, importItems);
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

/** Every Python session through the one import, each in a savepoint: one the store rejects is rolled back alone. */
async function importRenamedSessions(dbPath: string, sqlite: Database.Database, info: PythonDatabaseInfo, options: PythonUpgradeOptions, importItems: ImportInTransaction): Promise<void> {
  // The caller owns (and closes) this connection.
  const conn: Connection = { path: dbPath, sqlite, db: drizzle(sqlite, { schema }), readonly: false, close: () => sqlite.close() };
  const access = new SqliteAccess(conn);
  for (const record of readPythonSessions(sqlite, info)) {
    const converted = options.convert(record, info);
    if ("failed" in converted) {
      fail(access, dbPath, record, converted.failed, options);
      continue;
    }
    let result: ImportItemResult;
    sqlite.exec("SAVEPOINT python_session");
    try {
      result = (await importItems(access, [converted.item]))[0]!;
      access.flushIndex();
      sqlite.exec("RELEASE python_session");
    } catch (error) {
      access.discardIndex();
      sqlite.exec("ROLLBACK TO python_session");
      sqlite.exec("RELEASE python_session");
      if (!(error instanceof InvalidSessionDataError || error instanceof InvalidSessionIdError)) throw error;
      fail(access, dbPath, record, error.message, options);
      continue;
    }
    options.onSession?.({ record, result, failed: null });
  }
}

function fail(access: SqliteAccess, dbPath: string, record: PythonSessionRecord, reason: string, options: PythonUpgradeOptions): void {
  access.recordLedgerFailure({ sourcePath: pythonSourceKey(dbPath, record), size: record.size, sha256: record.sha256, sessionId: null, outcome: "failed", reason, importedAt: isoNow(), revision: null });
  options.onSession?.({ record, result: null, failed: reason });
}

function recordUpgrade(sqlite: Database.Database, plan: PythonUpgradePlan, backup: BackupResult): void {
  sqlite
    .prepare(`INSERT INTO python_upgrades (upgraded_at, schema_kind, backup_path, sessions, renamed, dropped_triggers) VALUES (?, ?, ?, ?, ?, ?)`)
    .run(isoNow(), plan.info.kind, backup.path, plan.info.sessionCount, JSON.stringify(plan.renamed), JSON.stringify(plan.droppedTriggers));
}

import { InvalidSessionDataError } from "../../../domain/errors.js";
import type { ImportItem, ImportItemResult } from "../../../domain/types.js";
import type { PythonDatabaseInfo, PythonTables } from "../python-schema-names.js";

export { PYTHON_SCHEMA_NAMES, type PythonDatabaseInfo, type PythonSchemaKind, type PythonTables } from "../python-schema-names.js";

/**
 * The public shapes of SQLite maintenance (backups, restores, the Python Victor's databases),
 * without any driver type: the functions that use better-sqlite3 are loaded only when called
 * (see sqlite-maintenance.ts at the package root).
 */

/** A column value as stored: text, number, null, or a BLOB (kept as base64 so JSON can hold it). */
export type PythonValue = string | number | null | { base64: string };

export type PythonRow = Record<string, PythonValue>;

/** One session of a Python Victor database, every column of every row verbatim. */
export interface PythonSessionRecord {
  /** The table it was read from, by its original name (`sessions`). */
  table: "sessions";
  /** The session's id as the row stores it (`id`, or `session_id` in ConversationStore rows). */
  key: string;
  row: PythonRow;
  /** Its rows of the messages table, in conversation order. */
  messages: PythonRow[];
  /** providers.name for a ConversationStore row's provider_id. */
  providerName: string | null;
  /** sha256 and size of the canonical JSON of row + messages: what the ledger compares on re-runs. */
  sha256: string;
  size: number;
}

export interface RenamedObject {
  type: "table" | "index";
  from: string;
  to: string;
}

export interface DroppedTrigger {
  name: string;
  table: string;
  sql: string;
}

/** What the in-place upgrade does to the Python Victor's session objects; nothing else is touched. */
export interface PythonUpgradePlan {
  info: PythonDatabaseInfo;
  /** Tables (the FTS5 table's shadow tables follow it) and indexes, renamed aside — never dropped. */
  renamed: RenamedObject[];
  /**
   * Triggers on those tables. SQLite keeps a trigger's name when its table is renamed (it would
   * collide with Victor's) and cannot rewrite the FTS5 'delete' column inside it, so they are
   * dropped; their SQL is kept in python_upgrades (and in the backup made first).
   */
  droppedTriggers: DroppedTrigger[];
  /** Where the session tables are after the upgrade. */
  renamedTables: PythonTables;
}

/** How many automatic backups (the timestamped ones next to the database) are kept by default. */
export const DEFAULT_BACKUPS_KEPT = 5;

/** VICTOR_BACKUP_KEEP: how many automatic backups to keep, when set. */
export function backupsToKeepFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env.VICTOR_BACKUP_KEEP;
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidSessionDataError(`VICTOR_BACKUP_KEEP must be a whole number of at least 1 (got ${JSON.stringify(value)}).`);
  return n;
}

export interface BackupResult {
  /** Where the verified copy is. */
  path: string;
  /** Rows per table in the copy (the same as in the database when it was taken). */
  rowCounts: Record<string, number>;
  /** Older automatic backups and partial leftovers removed after this one was in place. */
  removed: string[];
}

/** What a database file holds, as far as restoring it is concerned. */
export type DatabaseContent = { kind: "victor"; sessions: number } | { kind: "python"; sessions: number; schemaName: string };

export interface RestoreResult {
  dbPath: string;
  restoredFrom: string;
  /** The verified backup of what the database held before; null when there was no database. */
  previousBackup: string | null;
  content: DatabaseContent;
  rowCounts: Record<string, number>;
}

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

export interface PythonDatabaseReader {
  path: string;
  info: PythonDatabaseInfo;
  /** What an in-place upgrade would rename and drop (for --dry-run); null for an already upgraded file. */
  plan: PythonUpgradePlan | null;
  sessions(): Generator<PythonSessionRecord>;
  close(): void;
}

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import {
  assertTimeZone,
  ImportSimulation,
  legacySessionDirs,
  isPostgresUrl,
  NoSessionsYetError,
  openSessionStore,
  PythonVictorDatabaseError,
  redactUrl,
  resolveStoreLocation,
  type BackupResult,
  type ConflictPolicy,
  type SessionStore,
} from "@victor/core";
import { importJsonFiles } from "./json-files.js";
import { countPythonSessions, importFromPythonDatabase, simulateUpgrade, upgradeInPlace, type PythonRunContext } from "./python/python-sources.js";
import { addResult, emptyReport, type FileResult, type MigrationReport, type ProgressEvent } from "./report.js";
import { countSourceFiles, resolveSources } from "./sources.js";
import { DryRunWriter, StoreWriter, type MigrationWriter } from "./writer.js";

export interface MigrateOptions {
  /** Folders of legacy `*.json` files; default: `~/.victor/sessions/` and `<project>/.victor/sessions/` when present (none with `fromDb`). */
  sources?: readonly string[];
  /** Python Victor databases to import from (a backup, another project's); they are only read. */
  fromDb?: readonly string[];
  /** The database; default as every Victor tool resolves it (VICTOR_DB_PATH, then the project's). */
  dbPath?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Read and validate everything, write nothing (not even the database file). */
  dryRun?: boolean;
  /** What to do when a session id is taken by another source or a /save. Default skip. */
  onConflict?: ConflictPolicy;
  /** Back the database up before writing into it when it already holds sessions. Default true. */
  backup?: boolean;
  /** How many automatic backups to keep next to the database (default 5). */
  keepBackups?: number;
  /** The zone the Python Victor's machine was in: naive local timestamps are read in it. Default: this machine's. */
  timeZone?: string;
  /** Files per transaction (default 200). */
  batchSize?: number;
  onProgress?(event: ProgressEvent): void;
}

/** The target database: none yet, a file without Victor's tables yet, Victor's, or the Python Victor's. */
type Target = { kind: "none" } | { kind: "empty" } | { kind: "victor" } | { kind: "python"; sessions: number };

/** What the target database is, without changing it. */
async function inspectTarget(dbPath: string): Promise<Target> {
  if (!isPostgresUrl(dbPath) && !existsSync(dbPath)) return { kind: "none" };
  let store: SessionStore | undefined;
  try {
    store = await openSessionStore({ dbPath, readonly: true });
    return { kind: "victor" };
  } catch (error) {
    if (error instanceof PythonVictorDatabaseError) return { kind: "python", sessions: error.sessionCount };
    // An empty file, or one with none of our tables yet: a real run creates them.
    if (error instanceof NoSessionsYetError) return { kind: "empty" };
    throw error;
  } finally {
    await store?.close();
  }
}

/**
 * Brings everything of the Python Victor into the session store, in one run: its own database in
 * the project (upgraded in place, after a verified backup), other Python Victor databases named
 * with `fromDb` (only read), and the legacy JSON files — streamed, batched, idempotent and
 * resumable through the ledger. Fatal problems (the database cannot be opened, a source folder is
 * missing) throw a VictorError; problems with single sources are reported and the run goes on.
 */
export async function migrateLegacySessions(options: MigrateOptions = {}): Promise<MigrationReport> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const dryRun = options.dryRun === true;
  const onConflict = options.onConflict ?? "skip";
  const timeZone = assertTimeZone(options.timeZone ?? "local");
  const batchSize = Math.max(1, options.batchSize ?? 200);
  const emit = options.onProgress ?? (() => {});
  const fromDb = (options.fromDb ?? []).map((p) => resolve(cwd, p));
  const sources = await resolveSources(options.sources ?? (fromDb.length > 0 ? [] : legacySessionDirs(cwd, options.env)), cwd);
  const location = resolveStoreLocation({ dbPath: options.dbPath, cwd, env: options.env });
  // A file path, or a PostgreSQL server's URL (shown without its password).
  const dbPath = location.engine === "postgres" ? location.url : location.path;
  const report = emptyReport({ dryRun, dbPath: location.engine === "postgres" ? redactUrl(dbPath) : dbPath, sources, onConflict, timeZone });
  const target = await inspectTarget(dbPath);
  const others = await Promise.all(fromDb.map(async (path) => ({ path, ...(await countPythonSessions(path)) })));
  report.fromDb = others.map(({ path, count, schemaName }) => ({ path, schemaName, sessions: count }));
  const files = await countSourceFiles(sources);
  const pythonSessions = (target.kind === "python" ? target.sessions : 0) + others.reduce((n, o) => n + o.count, 0);
  const total = files + pythonSessions;
  emit({ kind: "start", total, files, pythonSessions, sources, dbPath, dryRun });
  if (total === 0 && target.kind !== "python") return finish();

  let done = 0;
  const finishOne = (result: FileResult): void => {
    addResult(report, result);
    emit({ kind: "file", result, done: ++done, total });
  };
  const onBackup = (backup: BackupResult): void => {
    report.backupPath = backup.path;
    report.removedBackups.push(...backup.removed);
    emit({ kind: "backup", path: backup.path });
  };
  const python: PythonRunContext = { timeZone, onConflict, keepBackups: options.keepBackups, finish: finishOne, onBackup };

  let writer: MigrationWriter;
  if (dryRun) {
    const store = target.kind === "victor" ? await openSessionStore({ dbPath, readonly: true }) : null;
    const simulation = store ? store.simulateImports() : new ImportSimulation(null);
    if (target.kind === "python") report.python = await simulateUpgrade(dbPath, simulation, python);
    writer = new DryRunWriter(store, simulation);
  } else {
    if (target.kind === "python") report.python = await upgradeInPlace(dbPath, python);
    // The upgrade made its own verified backup, of the whole file, just before: one is enough.
    const store = await openSessionStore({ dbPath });
    writer = new StoreWriter(store, { backup: options.backup !== false && report.python === null, keepBackups: options.keepBackups, onBackup });
  }
  try {
    for (const other of others) await importFromPythonDatabase(other.path, writer, python);
    await importJsonFiles(sources, writer, { onConflict, timeZone, batchSize, finish: finishOne });
  } finally {
    await writer.close();
  }
  return finish();

  function finish(): MigrationReport {
    report.durationMs = Math.round(performance.now() - started);
    emit({ kind: "done", report });
    return report;
  }
}

import { existsSync } from "node:fs";
import { legacySessionDirs, openSessionStore, resolveDbPath, type ConflictPolicy, type ImportItemResult, type LedgerEntry } from "@victor/core";
import { fileResult, prepareFile, type PreparedFile } from "./prepare-file.js";
import { addResult, emptyReport, type FileResult, type MigrationReport, type ProgressEvent } from "./report.js";
import { countSourceFiles, listSourceFiles, resolveSources, type SourceEntry } from "./sources.js";
import { DryRunWriter, StoreWriter, type MigrationWriter } from "./writer.js";

export interface MigrateOptions {
  /** Folders of legacy `*.json` files; default: `~/.victor/sessions/` and `<project>/.victor/sessions/` when present. */
  sources?: readonly string[];
  /** The database; default as every Victor tool resolves it (VICTOR_DB_PATH, then the project's). */
  dbPath?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Read and validate everything, write nothing (not even the database file). */
  dryRun?: boolean;
  /** What to do when a session id already exists from another source or a /save. Default skip. */
  onConflict?: ConflictPolicy;
  /** Back the database up before writing into it when it already holds sessions. Default true. */
  backup?: boolean;
  /** Files per transaction (default 200). */
  batchSize?: number;
  onProgress?(event: ProgressEvent): void;
}

const READ_AHEAD = 16;
const MAX_BATCH_BYTES = 32 * 1024 * 1024;

function importResult(prepared: Extract<PreparedFile, { kind: "import" }>, outcome: ImportItemResult | Error): FileResult {
  const requestedId = prepared.item.input.sessionId;
  const base = { requestedId, notes: prepared.notes };
  if (outcome instanceof Error) return fileResult(prepared.path, "failed", { ...base, reason: `not a valid Victor session: ${outcome.message}` });
  switch (outcome.status) {
    case "skipped-conflict":
      return fileResult(prepared.path, "conflict", {
        ...base,
        reason: `session ${requestedId} already exists (from another file or a /save); use --on-conflict rename or overwrite`,
      });
    case "renamed":
      return fileResult(prepared.path, prepared.recovered ? "recovered" : "imported", { ...base, sessionId: outcome.sessionId, renamed: true });
    case "updated":
      if (prepared.owns) return fileResult(prepared.path, "updated", { ...base, sessionId: outcome.sessionId });
      return fileResult(prepared.path, prepared.recovered ? "recovered" : "imported", { ...base, sessionId: outcome.sessionId, overwritten: true });
    default:
      return fileResult(prepared.path, prepared.recovered ? "recovered" : "imported", { ...base, sessionId: outcome.sessionId });
  }
}

async function* allEntries(sources: readonly string[]): AsyncGenerator<SourceEntry> {
  for (const dir of sources) yield* listSourceFiles(dir);
}

/** Reads files a few at a time ahead of the consumer, keeping their order. */
async function* prepareAll(entries: AsyncIterable<SourceEntry>, prepare: (e: SourceEntry) => Promise<PreparedFile>): AsyncGenerator<PreparedFile> {
  const queue: Promise<PreparedFile>[] = [];
  for await (const entry of entries) {
    queue.push(prepare(entry));
    if (queue.length >= READ_AHEAD) yield await queue.shift()!;
  }
  while (queue.length > 0) yield await queue.shift()!;
}

async function openWriter(dbPath: string, options: MigrateOptions, onBackup: (path: string) => void): Promise<MigrationWriter> {
  if (options.dryRun) {
    return new DryRunWriter(existsSync(dbPath) ? await openSessionStore({ dbPath, readonly: true }) : null);
  }
  const store = await openSessionStore({ dbPath });
  return new StoreWriter(store, { backup: options.backup !== false, onBackup });
}

/**
 * Imports legacy JSON sessions into the session store: streamed, batched (one transaction per
 * batch, ledger entries in the same transaction), idempotent and resumable. Source files are only
 * ever read. Fatal problems (the database cannot be opened, a source folder is missing) throw a
 * VictorError; problems with single files are reported and the run goes on.
 */
export async function migrateLegacySessions(options: MigrateOptions = {}): Promise<MigrationReport> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const dryRun = options.dryRun === true;
  const onConflict = options.onConflict ?? "skip";
  const batchSize = Math.max(1, options.batchSize ?? 200);
  const emit = options.onProgress ?? (() => {});
  const sources = await resolveSources(options.sources ?? legacySessionDirs(cwd), cwd);
  const dbPath = resolveDbPath({ dbPath: options.dbPath, cwd, env: options.env });
  const report = emptyReport({ dryRun, dbPath, sources, onConflict });
  const total = await countSourceFiles(sources);
  if (total === 0 && !existsSync(dbPath)) {
    emit({ kind: "start", total, sources, dbPath, dryRun });
    report.durationMs = Math.round(performance.now() - started);
    emit({ kind: "done", report });
    return report;
  }

  // Opened before "start" is announced, so a database that cannot be used is the only thing said.
  const writer = await openWriter(dbPath, options, (path) => {
    report.backupPath = path;
    emit({ kind: "backup", path });
  });
  emit({ kind: "start", total, sources, dbPath, dryRun });
  let done = 0;
  const finish = (result: FileResult): void => {
    addResult(report, result);
    emit({ kind: "file", result, done: ++done, total });
  };
  try {
    let batch: PreparedFile[] = [];
    let batchBytes = 0;
    const flush = async (): Promise<void> => {
      const imports = batch.filter((p): p is Extract<PreparedFile, { kind: "import" }> => p.kind === "import");
      const failures = batch.flatMap((p): LedgerEntry[] => (p.kind === "final" && p.ledger ? [p.ledger] : []));
      const outcomes = await writer.importItems(imports.map((p) => p.item));
      const late = imports.flatMap((p, i) => {
        const outcome = outcomes[i]!;
        if (!(outcome instanceof Error)) return [];
        const { sourcePath, size, sha256 } = p.item.ledger!;
        return [{ sourcePath, size, sha256, sessionId: null, outcome: "failed" as const, reason: `not a valid Victor session: ${outcome.message}`, importedAt: new Date().toISOString() }];
      });
      await writer.recordFailures([...failures, ...late]);
      let next = 0;
      for (const prepared of batch) finish(prepared.kind === "final" ? prepared.result : importResult(prepared, outcomes[next++]!));
      batch = [];
      batchBytes = 0;
    };
    const prepare = (entry: SourceEntry): Promise<PreparedFile> => prepareFile(entry, (path) => writer.ledgerEntry(path), onConflict);
    for await (const prepared of prepareAll(allEntries(sources), prepare)) {
      batch.push(prepared);
      batchBytes += prepared.bytes;
      if (batch.length >= batchSize || batchBytes >= MAX_BATCH_BYTES) await flush();
    }
    await flush();
  } finally {
    await writer.close();
  }
  report.durationMs = Math.round(performance.now() - started);
  emit({ kind: "done", report });
  return report;
}

import type { ConflictPolicy, RenamedObject } from "@victor/core";

/**
 * What happened to one source (a legacy file, or a session of a Python Victor database).
 * "skipped": an entry of a source folder that is not a file to read (a folder, a FIFO, a symlink
 * loop or one leading out of the folder). "ignored": a file that is not `*.json`.
 */
export type FileOutcome = "imported" | "recovered" | "updated" | "unchanged" | "conflict" | "failed" | "ignored" | "skipped";

export const OUTCOMES: readonly FileOutcome[] = ["imported", "recovered", "updated", "unchanged", "conflict", "failed", "ignored", "skipped"];

export interface FileResult {
  /** Absolute path of the source file, or `<db path>#sessions/<id>` for a Python Victor session. */
  path: string;
  outcome: FileOutcome;
  /** The session the source is (or would be) stored as; null when nothing was stored. */
  sessionId: string | null;
  /** The id the source asked for (a file name's stem, a row's id); differs from sessionId when renamed. */
  requestedId: string | null;
  /** Stored under a new id because the requested one was taken (--on-conflict rename). */
  renamed: boolean;
  /** Replaced a session from another source (--on-conflict overwrite). */
  overwritten: boolean;
  /** For a conflict: the session that was in the way. */
  existingSessionId: string | null;
  /** Why the source failed, was skipped, or what it conflicts with. */
  reason: string | null;
  /** Things worth knowing that did not stop the import (e.g. a different metadata.session_id). */
  notes: string[];
}

export type MigrationCounts = Record<FileOutcome, number> & { renamed: number; overwritten: number; total: number };

/** The in-place upgrade of a Python Victor database (done, or what a real run would do). */
export interface PythonUpgradeReport {
  dbPath: string;
  schemaName: string;
  sessions: number;
  /** Its session tables, indexes and FTS table, renamed aside (never dropped). */
  renamed: RenamedObject[];
  /** Its triggers on those tables, dropped (their SQL is kept in python_upgrades and the backup). */
  droppedTriggers: string[];
  /** false in a dry run. */
  done: boolean;
}

/** The result of one run; per-source detail only for sources that need attention, so it stays small. */
export interface MigrationReport {
  dryRun: boolean;
  dbPath: string;
  sources: string[];
  onConflict: ConflictPolicy;
  /** The zone naive local timestamps were read in. */
  timeZone: string;
  /** Path of the verified backup made before writing, or null. */
  backupPath: string | null;
  /** Older automatic backups and partial leftovers removed after the backup. */
  removedBackups: string[];
  python: PythonUpgradeReport | null;
  fromDb: { path: string; schemaName: string; sessions: number }[];
  counts: MigrationCounts;
  failed: { path: string; reason: string }[];
  /** A source that could not go where it asked: skipped (storedAs null) or stored beside the session in the way. */
  conflicts: { path: string; sessionId: string; storedAs: string | null; reason: string }[];
  skipped: { path: string; reason: string }[];
  renamed: { path: string; from: string; to: string }[];
  overwritten: { path: string; sessionId: string }[];
  recovered: { path: string; sessionId: string }[];
  notes: { path: string; note: string }[];
  durationMs: number;
}

export type ProgressEvent =
  | { kind: "start"; total: number; files: number; pythonSessions: number; sources: string[]; dbPath: string; dryRun: boolean }
  | { kind: "backup"; path: string }
  | { kind: "file"; result: FileResult; done: number; total: number }
  | { kind: "done"; report: MigrationReport };

export function emptyReport(options: { dryRun: boolean; dbPath: string; sources: string[]; onConflict: ConflictPolicy; timeZone?: string }): MigrationReport {
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<FileOutcome, number>;
  return {
    timeZone: "local",
    ...options,
    backupPath: null,
    removedBackups: [],
    python: null,
    fromDb: [],
    counts: { ...counts, renamed: 0, overwritten: 0, total: 0 },
    failed: [],
    conflicts: [],
    skipped: [],
    renamed: [],
    overwritten: [],
    recovered: [],
    notes: [],
    durationMs: 0,
  };
}

/** Adds one source's result to the report. */
export function addResult(report: MigrationReport, result: FileResult): void {
  const { counts } = report;
  counts[result.outcome]++;
  counts.total++;
  const path = result.path;
  const reason = result.reason ?? "";
  if (result.outcome === "failed") report.failed.push({ path, reason: result.reason ?? "unknown error" });
  if (result.outcome === "skipped") report.skipped.push({ path, reason });
  if (result.outcome === "conflict") report.conflicts.push({ path, sessionId: result.existingSessionId ?? result.requestedId ?? "", storedAs: result.sessionId, reason });
  if (result.outcome === "recovered" && result.sessionId) report.recovered.push({ path, sessionId: result.sessionId });
  if (result.renamed && result.sessionId) {
    counts.renamed++;
    report.renamed.push({ path, from: result.requestedId ?? "", to: result.sessionId });
  }
  if (result.overwritten && result.sessionId) {
    counts.overwritten++;
    report.overwritten.push({ path, sessionId: result.sessionId });
  }
  for (const note of result.notes) report.notes.push({ path, note });
}

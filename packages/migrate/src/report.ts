import type { ConflictPolicy } from "@victor/core";

/** What happened to one source file. */
export type FileOutcome = "imported" | "recovered" | "updated" | "unchanged" | "conflict" | "failed" | "ignored";

export const OUTCOMES: readonly FileOutcome[] = ["imported", "recovered", "updated", "unchanged", "conflict", "failed", "ignored"];

export interface FileResult {
  /** Absolute path of the source file. */
  path: string;
  outcome: FileOutcome;
  /** The session the file is (or would be) stored as; null when nothing was stored. */
  sessionId: string | null;
  /** The id the file asked for (its name's stem); differs from sessionId when renamed. */
  requestedId: string | null;
  /** Stored under a new id because the requested one was taken (--on-conflict rename). */
  renamed: boolean;
  /** Replaced a session from another source (--on-conflict overwrite). */
  overwritten: boolean;
  /** Why the file failed, or what it conflicts with. */
  reason: string | null;
  /** Things worth knowing that did not stop the import (e.g. a different metadata.session_id). */
  notes: string[];
}

export type MigrationCounts = Record<FileOutcome, number> & { renamed: number; overwritten: number; total: number };

/** The result of one run; per-file detail only for files that need attention, so it stays small. */
export interface MigrationReport {
  dryRun: boolean;
  dbPath: string;
  sources: string[];
  onConflict: ConflictPolicy;
  /** Path of the verified backup made before writing, or null. */
  backupPath: string | null;
  counts: MigrationCounts;
  failed: { path: string; reason: string }[];
  conflicts: { path: string; sessionId: string; reason: string }[];
  renamed: { path: string; from: string; to: string }[];
  overwritten: { path: string; sessionId: string }[];
  recovered: { path: string; sessionId: string }[];
  notes: { path: string; note: string }[];
  durationMs: number;
}

export type ProgressEvent =
  | { kind: "start"; total: number; sources: string[]; dbPath: string; dryRun: boolean }
  | { kind: "backup"; path: string }
  | { kind: "file"; result: FileResult; done: number; total: number }
  | { kind: "done"; report: MigrationReport };

export function emptyReport(options: { dryRun: boolean; dbPath: string; sources: string[]; onConflict: ConflictPolicy }): MigrationReport {
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<FileOutcome, number>;
  return {
    ...options,
    backupPath: null,
    counts: { ...counts, renamed: 0, overwritten: 0, total: 0 },
    failed: [],
    conflicts: [],
    renamed: [],
    overwritten: [],
    recovered: [],
    notes: [],
    durationMs: 0,
  };
}

/** Adds one file's result to the report. */
export function addResult(report: MigrationReport, result: FileResult): void {
  const { counts } = report;
  counts[result.outcome]++;
  counts.total++;
  const path = result.path;
  if (result.outcome === "failed") report.failed.push({ path, reason: result.reason ?? "unknown error" });
  if (result.outcome === "conflict") report.conflicts.push({ path, sessionId: result.requestedId ?? "", reason: result.reason ?? "" });
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

import { TOOLS, type ReadIssue, type Tool } from "./types.js";

/** What happened to one source file. */
export type ImportOutcome = "imported" | "updated" | "unchanged" | "conflict" | "failed" | "ignored";

export const IMPORT_OUTCOMES: readonly ImportOutcome[] = ["imported", "updated", "unchanged", "conflict", "failed", "ignored"];

/** Why a file was not imported (not a failure). */
export type IgnoredKind = "other-project" | "no-conversation" | "superseded" | "compressed" | "older";

export interface ImportFileResult {
  path: string;
  tool: Tool;
  outcome: ImportOutcome;
  /** The session the file is (or would be) stored as. */
  sessionId: string | null;
  /** Messages in that session after the run, and how many this run sent to the store (from the first changed one on). */
  messages: number;
  sent: number;
  /** Why it failed, was ignored, or conflicted. */
  reason: string | null;
  ignored: IgnoredKind | null;
  /** Damaged lines: reported, skipped; the rest of the file is imported. */
  issues: ReadIssue[];
  notes: string[];
}

export type OutcomeCounts = Record<ImportOutcome, number>;

export interface ImportReport {
  dryRun: boolean;
  dbPath: string;
  /** The folders read, per tool; `missing` = a tool's default folder that does not exist. */
  sources: { tool: Tool; path: string }[];
  missing: { tool: Tool; path: string }[];
  counts: OutcomeCounts & { total: number };
  byTool: Record<Tool, OutcomeCounts>;
  ignored: Record<IgnoredKind, number>;
  /** Messages sent to the store: from each file's first new or changed message on. */
  messagesSent: number;
  /** The sessions imported, updated or brought in beside a conflicting one. */
  sessions: { path: string; tool: Tool; outcome: ImportOutcome; sessionId: string; messages: number; sent: number }[];
  failed: { path: string; reason: string }[];
  conflicts: { path: string; sessionId: string; reason: string }[];
  issues: { path: string; line: number; reason: string }[];
  notes: { path: string; note: string }[];
  durationMs: number;
}

export type ImportProgressEvent =
  | { kind: "start"; total: number; sources: string[]; dryRun: boolean }
  | { kind: "file"; result: ImportFileResult; done: number; total: number }
  | { kind: "done"; report: ImportReport };

const zero = (): OutcomeCounts => ({ imported: 0, updated: 0, unchanged: 0, conflict: 0, failed: 0, ignored: 0 });

export function emptyReport(options: Pick<ImportReport, "dryRun" | "dbPath" | "sources" | "missing">): ImportReport {
  return {
    ...options,
    counts: { ...zero(), total: 0 },
    byTool: Object.fromEntries(TOOLS.map((t) => [t, zero()])) as Record<Tool, OutcomeCounts>,
    ignored: { "other-project": 0, "no-conversation": 0, superseded: 0, compressed: 0, older: 0 },
    messagesSent: 0,
    sessions: [],
    failed: [],
    conflicts: [],
    issues: [],
    notes: [],
    durationMs: 0,
  };
}

export function addResult(report: ImportReport, r: ImportFileResult): void {
  report.counts[r.outcome]++;
  report.counts.total++;
  report.byTool[r.tool][r.outcome]++;
  report.messagesSent += r.sent;
  if (r.ignored) report.ignored[r.ignored]++;
  if (r.sessionId && (r.outcome === "imported" || r.outcome === "updated" || r.outcome === "conflict")) {
    report.sessions.push({ path: r.path, tool: r.tool, outcome: r.outcome, sessionId: r.sessionId, messages: r.messages, sent: r.sent });
  }
  if (r.outcome === "failed") report.failed.push({ path: r.path, reason: r.reason ?? "unknown error" });
  if (r.outcome === "conflict") report.conflicts.push({ path: r.path, sessionId: r.sessionId ?? "", reason: r.reason ?? "" });
  for (const issue of r.issues) report.issues.push({ path: r.path, ...issue });
  for (const note of r.notes) report.notes.push({ path: r.path, note });
}

import type { IgnoredKind, ImportReport } from "./report.js";

const IGNORED_KEYS: Record<IgnoredKind, string> = {
  "other-project": "other_project",
  "no-conversation": "no_conversation",
  superseded: "superseded",
  compressed: "compressed",
  older: "older",
};

/**
 * The report in the snake_case vocabulary of every Victor `--json` output (see victor-migrate's
 * reportToJson). Field by field: paths, ids, reasons and outcomes are data and stay as they are.
 */
export function importReportToJson(report: ImportReport): Record<string, unknown> {
  return {
    dry_run: report.dryRun,
    db_path: report.dbPath,
    sources: report.sources,
    missing: report.missing,
    counts: report.counts,
    by_tool: report.byTool,
    ignored: Object.fromEntries(Object.entries(report.ignored).map(([kind, n]) => [IGNORED_KEYS[kind as IgnoredKind], n])),
    messages_sent: report.messagesSent,
    sessions: report.sessions.map((s) => ({ path: s.path, tool: s.tool, outcome: s.outcome, session_id: s.sessionId, messages: s.messages, sent: s.sent })),
    failed: report.failed,
    conflicts: report.conflicts.map((c) => ({ path: c.path, session_id: c.sessionId, reason: c.reason })),
    issues: report.issues,
    notes: report.notes,
    duration_ms: report.durationMs,
  };
}

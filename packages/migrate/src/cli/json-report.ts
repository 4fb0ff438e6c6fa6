import type { MigrationReport } from "../report.js";

/**
 * The report in the snake_case vocabulary of every Victor `--json` output (the keys the Python
 * Victor's scripts read). Field by field: paths, ids and reasons are data and stay as they are.
 */
export function reportToJson(report: MigrationReport): Record<string, unknown> {
  const { counts } = report;
  return {
    dry_run: report.dryRun,
    db_path: report.dbPath,
    sources: report.sources,
    on_conflict: report.onConflict,
    time_zone: report.timeZone,
    backup_path: report.backupPath,
    removed_backups: report.removedBackups,
    python: report.python && {
      db_path: report.python.dbPath,
      schema: report.python.schemaName,
      sessions: report.python.sessions,
      renamed: report.python.renamed,
      dropped_triggers: report.python.droppedTriggers,
      done: report.python.done,
    },
    from_db: report.fromDb,
    counts,
    failed: report.failed,
    conflicts: report.conflicts.map((c) => ({ path: c.path, session_id: c.sessionId, stored_as: c.storedAs, reason: c.reason })),
    skipped: report.skipped,
    renamed: report.renamed,
    overwritten: report.overwritten.map((o) => ({ path: o.path, session_id: o.sessionId })),
    recovered: report.recovered.map((r) => ({ path: r.path, session_id: r.sessionId })),
    notes: report.notes,
    duration_ms: report.durationMs,
  };
}

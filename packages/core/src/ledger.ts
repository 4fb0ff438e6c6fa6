import { sql } from "drizzle-orm";
import type { Connection } from "./engine/sqlite/connection.js";
import { legacyImports } from "./engine/sqlite/schema.js";
import type { LedgerEntry } from "./domain/types.js";

export function ledgerFromRow(row: typeof legacyImports.$inferSelect): LedgerEntry {
  return {
    sourcePath: row.source_path,
    size: row.size,
    sha256: row.sha256,
    sessionId: row.session_id,
    outcome: row.outcome as LedgerEntry["outcome"],
    reason: row.reason,
    importedAt: row.imported_at,
    revision: row.revision ?? null,
  };
}

function toRow(entry: LedgerEntry): typeof legacyImports.$inferInsert {
  return {
    source_path: entry.sourcePath,
    size: entry.size,
    sha256: entry.sha256,
    session_id: entry.sessionId,
    outcome: entry.outcome,
    reason: entry.reason,
    imported_at: entry.importedAt,
    revision: entry.revision,
  };
}

export function upsertLedger(conn: Connection, entry: LedgerEntry): void {
  const values = toRow(entry);
  conn.db.insert(legacyImports).values(values).onConflictDoUpdate({ target: legacyImports.source_path, set: values }).run();
}

/**
 * Records that a source failed, keeping the session and revision an earlier run imported from it:
 * the session stays this source's own, so the fixed source updates it later instead of conflicting.
 */
export function recordFailure(conn: Connection, entry: LedgerEntry): void {
  const values = toRow(entry);
  conn.db
    .insert(legacyImports)
    .values(values)
    .onConflictDoUpdate({
      target: legacyImports.source_path,
      set: {
        size: values.size,
        sha256: values.sha256,
        outcome: values.outcome,
        reason: values.reason,
        imported_at: values.imported_at,
        session_id: sql`coalesce(${legacyImports.session_id}, excluded.session_id)`,
        revision: sql`coalesce(${legacyImports.revision}, excluded.revision)`,
      },
    })
    .run();
}

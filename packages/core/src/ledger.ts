import type { Connection } from "./db.js";
import { legacyImports } from "./schema.js";
import type { LedgerEntry } from "./types.js";

export function ledgerFromRow(row: typeof legacyImports.$inferSelect): LedgerEntry {
  return {
    sourcePath: row.source_path,
    size: row.size,
    sha256: row.sha256,
    sessionId: row.session_id,
    outcome: row.outcome as LedgerEntry["outcome"],
    reason: row.reason,
    importedAt: row.imported_at,
  };
}

export function upsertLedger(conn: Connection, entry: LedgerEntry): void {
  const values = {
    source_path: entry.sourcePath,
    size: entry.size,
    sha256: entry.sha256,
    session_id: entry.sessionId,
    outcome: entry.outcome,
    reason: entry.reason,
    imported_at: entry.importedAt,
  };
  conn.db.insert(legacyImports).values(values).onConflictDoUpdate({ target: legacyImports.source_path, set: values }).run();
}

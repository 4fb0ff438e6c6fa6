import type { LedgerEntry } from "./types.js";

/** A ledger row as both engines store it (table `legacy_imports`, same columns). */
export interface LedgerRow {
  source_path: string;
  size: number;
  sha256: string;
  session_id: string | null;
  outcome: string;
  reason: string | null;
  imported_at: string;
  revision: number | null;
}

export function ledgerFromRow(row: LedgerRow): LedgerEntry {
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

export function ledgerToRow(entry: LedgerEntry): LedgerRow {
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

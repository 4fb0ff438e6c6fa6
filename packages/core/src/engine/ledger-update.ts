import { sql, type Column } from "drizzle-orm";
import type { LedgerRow } from "../domain/ledger-row.js";

/**
 * The update of a ledger row when its source failed (both engines' legacy_imports): the new
 * size, hash, outcome and reason, but the session and revision an earlier import wrote stay, so
 * the session remains this source's own and the fixed source updates it later.
 */
export function failedSourceUpdate(values: Omit<LedgerRow, "source_path">, table: { session_id: Column; revision: Column }) {
  return {
    size: values.size,
    sha256: values.sha256,
    outcome: values.outcome,
    reason: values.reason,
    imported_at: values.imported_at,
    session_id: sql`coalesce(${table.session_id}, excluded.session_id)`,
    revision: sql`coalesce(${table.revision}, excluded.revision)`,
  };
}

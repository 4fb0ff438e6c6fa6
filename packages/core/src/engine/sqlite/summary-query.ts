import { SUMMARY_COLUMNS } from "../../domain/columns.js";
import type { SummaryRow } from "../../domain/session-data.js";
import { withExactText, type ExactText } from "../../domain/storable-text.js";

/**
 * What a summary shows, without the (possibly large) data column: the SELECT of every list, summary
 * and search result of the SQLite engine, and of the cold-start list (quick-list.ts), so both read
 * the same columns the same way. Plain SQL: the cold-start list must not load drizzle.
 */
export const SUMMARY_SELECT = `SELECT ${SUMMARY_COLUMNS.join(", ")},
  json_extract(data, '$.tags') AS tags,
  json_array_length(data, '$.conversation.preview_messages') AS preview_count,
  exact_text
  FROM sessions`;

/** A row of SUMMARY_SELECT as better-sqlite3 returns it: `exact_text` is the column's JSON text. */
export type SummarySqlRow = SummaryRow & { exact_text: string | null };

/** The row the domain's toSummary expects, with any cleaned text replaced by its exact value. */
export function toSummaryRow({ exact_text, ...row }: SummarySqlRow): SummaryRow {
  return withExactText(row, exact_text === null ? null : (JSON.parse(exact_text) as ExactText));
}

import { sql } from "drizzle-orm";
import type { SummaryRow } from "../../domain/session-data.js";
import { sessions } from "./schema.js";
import { withExactText } from "./storable-text.js";

/** What list and search show of a session, without the (possibly large) `data` column. */
export const summaryColumns = {
  id: sessions.id,
  name: sessions.name,
  model: sessions.model,
  provider: sessions.provider,
  profile: sessions.profile,
  message_count: sessions.message_count,
  created_at: sessions.created_at,
  updated_at: sessions.updated_at,
  parent_id: sessions.parent_id,
  revision: sessions.revision,
  // JSON text, as SQLite's json_extract gives it (toSummary parses it).
  tags: sql<string | null>`(${sessions.data} -> 'tags')::text`.as("tags"),
  preview_count: sql<number | null>`json_array_length(${sessions.data} -> 'conversation' -> 'preview_messages')`.as("preview_count"),
  exact_text: sessions.exact_text,
};

type SummarySelect = SummaryRow & { exact_text: (typeof sessions.$inferSelect)["exact_text"] };

/** The row the domain's toSummary expects, with any cleaned text replaced by its exact value. */
export function toSummaryRow({ exact_text, ...row }: SummarySelect): SummaryRow {
  return withExactText(row, exact_text);
}

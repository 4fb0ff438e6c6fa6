/**
 * Column names both engines' tables share (same names, same meaning; see the two schema.ts): what
 * a summary shows and what a message row holds. Each engine picks its own table's columns by them.
 */
export const SUMMARY_COLUMNS = ["id", "name", "model", "provider", "profile", "message_count", "created_at", "updated_at", "parent_id", "revision"] as const;
export const MESSAGE_ROW_COLUMNS = ["role", "content", "name", "tool_calls", "tool_call_id", "extra"] as const;
/** What a save reads of the stored session before it writes (StoredHead), with the exact text of cleaned columns. */
export const HEAD_COLUMNS = ["id", "revision", "incarnation", "message_count", "name", "data", "created_at", "parent_id", "exact_text"] as const;

/** The named columns of a drizzle table, as a select() shape. */
export function pickColumns<T extends object, K extends keyof T & string>(table: T, names: readonly K[]): Pick<T, K> {
  return Object.fromEntries(names.map((name) => [name, table[name]])) as Pick<T, K>;
}

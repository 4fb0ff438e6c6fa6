/**
 * Which zone each naive timestamp of the Python Victor was written in, per column, as its code
 * wrote them (checked against vjsingh1984/victor):
 * - SQLite defaults `DEFAULT (datetime('now'))` are UTC: the guide schema's messages.created_at
 *   (SQLiteSessionPersistence never sets it), "YYYY-MM-DD HH:MM:SS".
 * - Everything written from Python with `datetime.now().isoformat()` is the local time of the
 *   machine the Python Victor ran on: sessions.created_at/updated_at and the envelope's
 *   metadata.created_at/updated_at (guide); sessions.created_at/last_activity and
 *   messages.timestamp (ConversationStore, which writes `datetime.now()` for both).
 * A timestamp with an offset (`+00:00`) is read as written, whatever the column. ConversationStore
 * 0.7+ rebuilds a guide messages table by copying `created_at` into `timestamp`: a value in SQLite's
 * own `YYYY-MM-DD HH:MM:SS` shape (Python's isoformat() always has a "T") is therefore UTC in any column.
 */
export type ZoneOfColumn = "utc" | "python-local";

export const PYTHON_TIME_COLUMNS = {
  guide: { session: { created_at: "python-local", updated_at: "python-local" }, message: { created_at: "utc" } },
  "conversation-store": { session: { created_at: "python-local", last_activity: "python-local" }, message: { timestamp: "python-local" } },
} as const satisfies Record<string, { session: Record<string, ZoneOfColumn>; message: Record<string, ZoneOfColumn> }>;

const SQLITE_DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** The zone to read `value` of a column in: UTC, or the zone the Python Victor's machine was in (default: this one's). */
export function zoneFor(column: ZoneOfColumn, pythonZone: string, value?: unknown): string {
  return column === "utc" || (typeof value === "string" && SQLITE_DATETIME.test(value)) ? "UTC" : pythonZone;
}

/**
 * The Python Victor's session schemas, in words and shapes without any driver type: opening a
 * database recognises them (python-schema.ts), maintenance upgrades them.
 */

/**
 * The Python Victor's two session schemas (DESIGN §11):
 * - "guide": SQLiteSessionPersistence (January 2026) — sessions(id, name, provider, model, profile,
 *   data, created_at, updated_at) with the whole session envelope in `data`, and
 *   messages(id INTEGER, session_id, role, content, tool_calls, created_at).
 * - "conversation-store": ConversationStore — sessions(session_id, created_at, last_activity, …,
 *   metadata, provider_id → providers), messages(id TEXT, session_id, role, content, timestamp, …)
 *   and its own FTS5 table messages_fts.
 * - "mixed": a guide table that a later release extended with ConversationStore's columns; each row
 *   is read as whichever shape it was written in.
 */
export type PythonSchemaKind = "guide" | "conversation-store" | "mixed";

export const PYTHON_SCHEMA_NAMES: Record<PythonSchemaKind, string> = {
  guide: "the SQLiteSessionPersistence schema",
  "conversation-store": "the ConversationStore schema",
  mixed: "the SQLiteSessionPersistence schema, extended by ConversationStore",
};

/** Table names of a Python session store: the originals, or where an upgrade renamed them. */
export interface PythonTables {
  sessions: string;
  messages: string;
  /** Its ConversationStore lookup table of provider names, when there is one. */
  providers: string | null;
}

export interface PythonDatabaseInfo {
  kind: PythonSchemaKind;
  sessionCount: number;
  tables: PythonTables;
  sessionColumns: string[];
  messageColumns: string[];
}

import type Database from "better-sqlite3";
import type { PythonDatabaseInfo, PythonSchemaKind, PythonTables } from "./python-schema-names.js";

export interface SchemaObject {
  type: "table" | "index" | "trigger" | "view";
  name: string;
  tbl_name: string;
  sql: string | null;
}

export function tableColumns(sqlite: Database.Database, table: string): string[] {
  return (sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((r) => r.name);
}

export function hasTable(sqlite: Database.Database, table: string): boolean {
  return sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) !== undefined;
}

export function schemaObjects(sqlite: Database.Database): SchemaObject[] {
  return sqlite.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid`).all() as SchemaObject[];
}

/** Quotes an identifier for SQL (names come from sqlite_master, never from user input). */
export const quoteId = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Which Python schema a sessions/messages table pair has, or null when it is neither. */
export function pythonSchemaKind(sessionColumns: readonly string[], messageColumns: readonly string[]): PythonSchemaKind | null {
  const has = (columns: readonly string[], names: string[]) => names.every((n) => columns.includes(n));
  if (!has(messageColumns, ["session_id", "role", "content"])) return null;
  // Victor's own sessions table has the guide's columns too, and more.
  if (has(sessionColumns, ["revision", "search_title"])) return null;
  const guide = has(sessionColumns, ["id", "name", "data"]);
  const store = has(sessionColumns, ["session_id", "created_at", "last_activity"]);
  if (guide && store) return "mixed";
  if (guide) return "guide";
  if (store && messageColumns.includes("timestamp")) return "conversation-store";
  return null;
}

/**
 * Recognises a Python Victor session store in `sqlite` (only reads). `tables` names where to look:
 * the usual `sessions`/`messages`, or the names an upgrade renamed them to.
 */
export function inspectPythonTables(
  sqlite: Database.Database,
  tables: PythonTables = { sessions: "sessions", messages: "messages", providers: "providers" },
): PythonDatabaseInfo | null {
  if (!hasTable(sqlite, tables.sessions) || !hasTable(sqlite, tables.messages)) return null;
  const sessionColumns = tableColumns(sqlite, tables.sessions);
  const messageColumns = tableColumns(sqlite, tables.messages);
  const kind = pythonSchemaKind(sessionColumns, messageColumns);
  if (kind === null) return null;
  const providers = tables.providers && hasTable(sqlite, tables.providers) ? tables.providers : null;
  const sessionCount = (sqlite.prepare(`SELECT count(*) AS n FROM ${quoteId(tables.sessions)}`).get() as { n: number }).n;
  return { kind, sessionCount, tables: { ...tables, providers }, sessionColumns, messageColumns };
}

import type Database from "better-sqlite3";
import { quoteId, schemaObjects, type SchemaObject } from "../python-schema.js";
import type { PythonDatabaseInfo, PythonUpgradePlan, RenamedObject } from "./types.js";

/** A virtual table indexing the messages table (the ConversationStore's messages_fts). */
function isMessagesIndex(object: SchemaObject, messages: string): boolean {
  if (object.type !== "table" || !object.sql || !/^CREATE\s+VIRTUAL\s+TABLE/i.test(object.sql)) return false;
  const content = /content\s*=\s*['"`]?([\w]+)['"`]?/i.exec(object.sql)?.[1];
  return object.name === `${messages}_fts` || content === messages;
}

/** The first of `python_<name>`, `python_<name>_2`, … that no object has (nor is planned to get). */
function asideName(name: string, taken: Set<string>): string {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? `python_${name}` : `python_${name}_${n}`;
    if (!taken.has(candidate)) {
      taken.add(candidate);
      return candidate;
    }
  }
}

/**
 * The objects of the Python Victor's session feature and where they go, plus any other object
 * whose name Victor's schema needs (a leftover `messages_new`, say). Only reads.
 */
export function planPythonUpgrade(sqlite: Database.Database, info: PythonDatabaseInfo, victorNames: ReadonlySet<string> = new Set()): PythonUpgradePlan {
  const objects = schemaObjects(sqlite);
  const taken = new Set(objects.map((o) => o.name));
  const { sessions, messages } = info.tables;
  const virtualTables = objects.filter((o) => isMessagesIndex(o, messages)).map((o) => o.name);
  const sessionFeature = new Set([...virtualTables, messages, sessions]);
  const isShadow = (name: string) => virtualTables.some((v) => name.startsWith(`${v}_`));
  const colliding = objects.filter((o) => o.type === "table" && victorNames.has(o.name) && !sessionFeature.has(o.name) && !isShadow(o.name) && !o.name.startsWith("sqlite_"));
  const tables = [...virtualTables, messages, sessions, ...colliding.map((o) => o.name)];
  const sessionTables = new Set(tables);
  const renamed: RenamedObject[] = tables.map((name) => ({ type: "table", from: name, to: asideName(name, taken) }));
  for (const object of objects) {
    if (object.type !== "index" || !object.sql || !(sessionTables.has(object.tbl_name) || victorNames.has(object.name))) continue;
    renamed.push({ type: "index", from: object.name, to: asideName(object.name, taken) });
  }
  const droppedTriggers = objects
    .filter((o) => o.type === "trigger" && (sessionTables.has(o.tbl_name) || victorNames.has(o.name)))
    .map((o) => ({ name: o.name, table: o.tbl_name, sql: o.sql ?? "" }));
  const to = (name: string): string => renamed.find((r) => r.type === "table" && r.from === name)!.to;
  return {
    info,
    renamed,
    droppedTriggers,
    renamedTables: { sessions: to(sessions), messages: to(messages), providers: info.tables.providers },
  };
}

const INDEX_NAME = /^(CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?)(?:"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|[^\s(]+)/i;

/**
 * Carries the plan out on `sqlite`, which must be inside the caller's write transaction: drops
 * the triggers, renames the tables (SQLite rewrites the foreign keys of other tables that point at
 * them, so the Python Victor's other tables keep pointing at its sessions), then re-creates each
 * index under its new name from its own SQL (SQLite cannot rename an index).
 */
export function executePythonUpgrade(sqlite: Database.Database, plan: PythonUpgradePlan): void {
  if (!sqlite.inTransaction) throw new Error("executePythonUpgrade must run inside a transaction");
  for (const trigger of plan.droppedTriggers) sqlite.exec(`DROP TRIGGER ${quoteId(trigger.name)}`);
  for (const table of plan.renamed.filter((r) => r.type === "table")) sqlite.exec(`ALTER TABLE ${quoteId(table.from)} RENAME TO ${quoteId(table.to)}`);
  const indexSql = sqlite.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`).pluck();
  for (const index of plan.renamed.filter((r) => r.type === "index")) {
    const sql = indexSql.get(index.from) as string;
    const renamedSql = sql.replace(INDEX_NAME, (_match, head: string) => `${head}${quoteId(index.to)}`);
    if (renamedSql === sql) throw new Error(`cannot rename index ${index.from}: unexpected SQL`);
    sqlite.exec(`DROP INDEX ${quoteId(index.from)}`);
    sqlite.exec(renamedSql);
  }
}

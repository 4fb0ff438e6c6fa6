import { and, asc, desc, eq, gte, sql } from "drizzle-orm";
import type Database from "better-sqlite3";
import type { Connection } from "./db.js";
import type { MessageRow } from "./message-codec.js";
import { legacyImports, messages, sessions } from "./schema.js";

const p = sql.placeholder;

/** A message as the codec reads it back (see message-codec.ts). */
const messageRowColumns = {
  role: messages.role,
  content: messages.content,
  name: messages.name,
  tool_calls: messages.tool_calls,
  tool_call_id: messages.tool_call_id,
  extra: messages.extra,
};

/** Summary columns: everything list/search show, without the (possibly large) data column. */
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
  tags: sql<string | null>`json_extract(${sessions.data}, '$.tags')`.as("tags"),
  preview_count: sql<number | null>`json_array_length(${sessions.data}, '$.conversation.preview_messages')`.as("preview_count"),
};

/** The columns a save writes; `data` is the JSON text of the data column. */
export interface SessionWrite {
  id: string;
  name: string;
  search_title: string;
  provider: string;
  model: string;
  profile: string;
  data: string;
  created_at: string;
  updated_at: string;
  message_count: number;
  parent_id: string | null;
}

export interface MessageWrite extends MessageRow {
  session_id: string;
  position: number;
  created_at: string;
}

/**
 * An object whose properties are made by `makers` on first read, then kept: a command that runs two
 * statements (`victor sessions list`) does not build and prepare the other twenty on every start.
 */
function preparedOnFirstUse<T extends Record<string, () => unknown>>(makers: T): { readonly [K in keyof T]: ReturnType<T[K]> } {
  const statements = {} as { [K in keyof T]: ReturnType<T[K]> };
  for (const key of Object.keys(makers) as (keyof T)[]) {
    Object.defineProperty(statements, key, {
      configurable: true,
      enumerable: true,
      get: () => {
        const value = makers[key]!() as ReturnType<T[typeof key]>;
        Object.defineProperty(statements, key, { value, enumerable: true });
        return value;
      },
    });
  }
  return statements;
}

/** How to make every statement the store runs more than once. */
function statementMakers({ db, sqlite }: Connection) {
  return {
    /**
     * Adds the messages written in this transaction (ids above the given one) to the full-text
     * index in one statement; see migration 0002 for why this is not a per-row trigger.
     */
    indexMessagesAfter: () => sqlite.prepare(
      `INSERT INTO messages_fts(rowid, content) SELECT id, content FROM messages WHERE id > ? AND content IS NOT NULL`,
    ) as Database.Statement<[number]>,
    sessionHead: () => db
      .select({ id: sessions.id, revision: sessions.revision, message_count: sessions.message_count, name: sessions.name, data: sessions.data, created_at: sessions.created_at, parent_id: sessions.parent_id })
      .from(sessions)
      .where(eq(sessions.id, p("id")))
      .prepare(),
    /** Ids in [from, to): the ids with a given prefix, see SessionStore.idsWithPrefix. */
    idsInRange: () => sqlite.prepare(`SELECT id FROM sessions WHERE id >= ? AND id < ? ORDER BY id LIMIT ?`).pluck() as Database.Statement<[string, string, number], string>,
    sessionExists: () => db.select({ id: sessions.id }).from(sessions).where(eq(sessions.id, p("id"))).prepare(),
    sessionRow: () => db.select().from(sessions).where(eq(sessions.id, p("id"))).prepare(),
    messagesOf: () => db
      .select(messageRowColumns)
      .from(messages)
      .where(eq(messages.session_id, p("id")))
      .orderBy(asc(messages.position))
      .prepare(),
    messagesFrom: () => db
      .select(messageRowColumns)
      .from(messages)
      .where(and(eq(messages.session_id, p("id")), gte(messages.position, p("from"))))
      .orderBy(asc(messages.position))
      .prepare(),
    // Plain SQL: the statement runs once per message, and Drizzle's placeholder mapping per call
    // cost ~8% of a bulk import.
    insertMessage: () => sqlite.prepare(
      `INSERT INTO messages (session_id, position, role, content, name, tool_calls, tool_call_id, extra, created_at)
       VALUES (@session_id, @position, @role, @content, @name, @tool_calls, @tool_call_id, @extra, @created_at)`,
    ) as Database.Statement<[MessageWrite]>,
    /** Every message id above this one is new in the current transaction (AUTOINCREMENT ids only grow). */
    lastMessageId: () => db.select({ id: sql<number | null>`max(${messages.id})` }).from(messages).prepare(),
    // Plain SQL for the two writes of every save: Drizzle's update() takes no placeholders.
    insertSession: () => sqlite.prepare<SessionWrite & { revision: number }>(
      `INSERT INTO sessions (id, name, search_title, provider, model, profile, data, created_at, updated_at, message_count, revision, parent_id)
       VALUES (@id, @name, @search_title, @provider, @model, @profile, @data, @created_at, @updated_at, @message_count, @revision, @parent_id)`,
    ) as Database.Statement<[SessionWrite & { revision: number }]>,
    updateSession: () => sqlite.prepare<SessionWrite>(
      `UPDATE sessions SET name = @name, search_title = @search_title, provider = @provider, model = @model, profile = @profile,
         data = @data, created_at = @created_at, updated_at = @updated_at, message_count = @message_count,
         revision = revision + 1, parent_id = coalesce(@parent_id, parent_id)
       WHERE id = @id`,
    ) as Database.Statement<[SessionWrite]>,
    deleteMessagesFrom: () => db
      .delete(messages)
      .where(and(eq(messages.session_id, p("id")), gte(messages.position, p("from"))))
      .prepare(),
    listByUpdated: () => db.select(summaryColumns).from(sessions).orderBy(desc(sessions.updated_at), desc(sessions.id)).limit(p("limit")).offset(p("offset")).prepare(),
    listByCreated: () => db.select(summaryColumns).from(sessions).orderBy(desc(sessions.created_at), desc(sessions.id)).limit(p("limit")).offset(p("offset")).prepare(),
    listByTitle: () => db.select(summaryColumns).from(sessions).orderBy(asc(sessions.name), desc(sessions.updated_at)).limit(p("limit")).offset(p("offset")).prepare(),
    summary: () => db.select(summaryColumns).from(sessions).where(eq(sessions.id, p("id"))).prepare(),
    deleteSession: () => db.delete(sessions).where(eq(sessions.id, p("id"))).prepare(),
    // SELECT *: a database opened read-only may predate the ledger's newer columns (not migrated yet).
    ledgerGet: () => sqlite.prepare(`SELECT * FROM legacy_imports WHERE source_path = @path`) as Database.Statement<[{ path: string }], typeof legacyImports.$inferSelect>,
    ledgerAll: () => sqlite.prepare(`SELECT * FROM legacy_imports`) as Database.Statement<[], typeof legacyImports.$inferSelect>,
  };
}

type Makers = ReturnType<typeof statementMakers>;
export type Statements = { readonly [K in keyof Makers]: ReturnType<Makers[K]> };

/** Every statement the store runs more than once, prepared once per connection, on first use. */
export function prepareStatements(conn: Connection): Statements {
  return preparedOnFirstUse(statementMakers(conn));
}

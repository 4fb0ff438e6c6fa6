import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { SessionDataColumn } from "../../domain/session-data.js";
import type { ExactText } from "../../domain/storable-text.js";

/**
 * The storage contract. Table and column names are public: users query them with sqlite3
 * (see the README), so they change only with a migration and a changeset.
 */

const timestamps = {
  created_at: text("created_at").notNull(),
  updated_at: text("updated_at").notNull(),
};


export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    provider: text("provider").notNull().default(""),
    model: text("model").notNull().default(""),
    profile: text("profile").notNull().default("default"),
    data: text("data", { mode: "json" }).$type<SessionDataColumn>().notNull(),
    ...timestamps,
    message_count: integer("message_count").notNull().default(0),
    revision: integer("revision").notNull().default(1),
    parent_id: text("parent_id"),
    /** The title folded to lower case without accents, for substring search. */
    search_title: text("search_title").notNull().default(""),
    /**
     * Random at creation: a session deleted and created again under the same id (a re-import) is
     * another incarnation, even at the same revision, so a save based on the old one is a conflict.
     * "" for sessions created before this column existed.
     */
    incarnation: text("incarnation").notNull().default(""),
    /**
     * The exact text of the columns above that no engine stores as is (a NUL, a lone surrogate):
     * those columns hold a copy with U+FFFD, reads put this back (see domain/storable-text.ts).
     */
    exact_text: text("exact_text", { mode: "json" }).$type<ExactText>(),
  },
  (t) => [index("sessions_updated_at_idx").on(t.updated_at), index("sessions_created_at_idx").on(t.created_at)],
);

export const messages = sqliteTable(
  "messages",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    session_id: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    role: text("role").notNull(),
    content: text("content"),
    name: text("name"),
    tool_calls: text("tool_calls"),
    tool_call_id: text("tool_call_id"),
    /** JSON of every other key of the message, plus which standard keys were absent. */
    extra: text("extra"),
    created_at: text("created_at").notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  },
  (t) => [uniqueIndex("messages_session_position_idx").on(t.session_id, t.position)],
);

/**
 * victor-migrate's record of every source it has seen (a legacy JSON file, or a session row of a
 * Python Victor database, keyed `<db path>#<table>/<id>`): what makes re-runs idempotent.
 */
export const legacyImports = sqliteTable("legacy_imports", {
  source_path: text("source_path").primaryKey(),
  size: integer("size").notNull(),
  sha256: text("sha256").notNull(),
  session_id: text("session_id"),
  outcome: text("outcome").notNull(),
  reason: text("reason"),
  imported_at: text("imported_at").notNull(),
  /**
   * The session revision this import wrote. A changed source updates the session only while it is
   * still at this revision (nobody saved it since); null = the import did not write it.
   */
  revision: integer("revision"),
});

/**
 * One row per in-place upgrade of a Python Victor database: which of its objects were renamed
 * aside (never dropped), the SQL of the triggers that had to go, and the verified backup made first.
 */
export const pythonUpgrades = sqliteTable("python_upgrades", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  upgraded_at: text("upgraded_at").notNull(),
  schema_kind: text("schema_kind").notNull(),
  backup_path: text("backup_path"),
  sessions: integer("sessions").notNull(),
  /** JSON: [{ type, from, to }] */
  renamed: text("renamed").notNull(),
  /** JSON: [{ name, table, sql }] */
  dropped_triggers: text("dropped_triggers").notNull(),
});

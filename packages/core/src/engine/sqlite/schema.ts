import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
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
    /** A fork: how many messages of the parent's context it copied (null when not a fork). */
    fork_point: integer("fork_point"),
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
    /**
     * NULL: in the model's context. N: left it at the session's context change N (a compaction,
     * rewind, replacement; see sessions.data epochs). Rows are never deleted by a save.
     */
    context_epoch: integer("context_epoch"),
    /** A copy of the row at this position, carried over by a compaction (kept messages). */
    carried_from: integer("carried_from"),
  },
  (t) => [
    uniqueIndex("messages_session_position_idx").on(t.session_id, t.position),
    // An undo finds the rows its change took out without reading the session's other rows.
    index("messages_out_of_context_idx").on(t.session_id, t.context_epoch).where(sql`${t.context_epoch} IS NOT NULL`),
  ],
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

/**
 * What push/pull last agreed with another store (`remote`: its identity, see Engine.identity) about
 * one session, from this side: the session's id here and there, each side's revision, incarnation
 * and message fingerprint at that moment, and the hash of the content both then had. A side whose
 * state moved since has changed; both moved = a conflict (kept as a fork, never an overwrite). No
 * foreign key: the row outlives a deleted session, so a delete here is not undone by the next pull.
 */
export const syncLedger = sqliteTable(
  "sync_ledger",
  {
    remote: text("remote").notNull(),
    session_id: text("session_id").notNull(),
    remote_session_id: text("remote_session_id").notNull(),
    local_revision: integer("local_revision").notNull(),
    local_incarnation: text("local_incarnation").notNull(),
    local_fingerprint: text("local_fingerprint").notNull(),
    remote_revision: integer("remote_revision").notNull(),
    remote_incarnation: text("remote_incarnation").notNull(),
    remote_fingerprint: text("remote_fingerprint").notNull(),
    /** Messages both sides had; the fingerprints and messages_hash are of these. */
    message_count: integer("message_count").notNull(),
    /** The engine-independent hash of those messages (see sync/content-hash.ts): extended by what a later sync sends. */
    messages_hash: text("messages_hash").notNull(),
    content_hash: text("content_hash").notNull(),
    /** "push" or "pull": which way the content last travelled. */
    direction: text("direction").notNull(),
    synced_at: text("synced_at").notNull(),
  },
  (t) => [primaryKey({ name: "sync_ledger_pk", columns: [t.remote, t.session_id] })],
);

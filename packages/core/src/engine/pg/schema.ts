import { sql } from "drizzle-orm";
import { bigint, boolean, customType, foreignKey, index, integer, json, pgSchema, primaryKey, uniqueIndex } from "drizzle-orm/pg-core";
import type { SessionDataColumn } from "../../domain/session-data.js";
import type { ExactText } from "../../domain/storable-text.js";

/**
 * The PostgreSQL storage contract: the tables and columns of the SQLite schema (../../schema.ts),
 * in schema `victor`, plus what a shared server needs: `project` (first key of every table and
 * index, so the tables can be distributed by project), `owner` (the role that wrote a row; RLS),
 * `machine` and `shared`. Custom SQL that drizzle-kit cannot express (text search configuration,
 * roles, grants, row-level security) lives in the hand-written parts of drizzle/pg.
 */

/**
 * Text compared byte by byte, like SQLite's default BINARY collation: id prefixes, ranges and
 * orderings give the same answers on both engines whatever the database's locale.
 */
const bytewiseText = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export const victor = pgSchema("victor");

const timestamps = {
  created_at: bytewiseText("created_at").notNull(),
  updated_at: bytewiseText("updated_at").notNull(),
};

/** Who wrote a row; row-level security compares it with current_user. */
const owner = bytewiseText("owner").notNull().default(sql`CURRENT_USER`);

export const sessions = victor.table(
  "sessions",
  {
    project: bytewiseText("project").notNull(),
    id: bytewiseText("id").notNull(),
    name: bytewiseText("name").notNull(),
    provider: bytewiseText("provider").notNull().default(""),
    model: bytewiseText("model").notNull().default(""),
    profile: bytewiseText("profile").notNull().default("default"),
    // json, not jsonb: json keeps the text as written (key order, \u0000 escapes, lone surrogates),
    // so load(save(x)) = x holds as on SQLite; jsonb would reorder keys and reject both escapes.
    data: json("data").$type<SessionDataColumn>().notNull(),
    ...timestamps,
    message_count: integer("message_count").notNull().default(0),
    revision: integer("revision").notNull().default(1),
    parent_id: bytewiseText("parent_id"),
    /** The title folded to lower case without accents, for substring search. */
    search_title: bytewiseText("search_title").notNull().default(""),
    owner,
    /** The machine the session was last written from (host name), for people who use several. */
    machine: bytewiseText("machine").notNull().default(""),
    /** Visible to every role of the server (victor_writer / victor_reader), not only its owner. */
    shared: boolean("shared").notNull().default(false),
    /**
     * The exact text of the columns above that PostgreSQL cannot store (a NUL, a lone surrogate):
     * those columns hold a cleaned copy, reads put this back. Null almost always.
     */
    exact_text: json("exact_text").$type<ExactText>(),
    /** Random at creation: see the SQLite schema. */
    incarnation: bytewiseText("incarnation").notNull().default(""),
    /**
     * What list and search show of `data`, written with it: the tags (JSON) and how many preview
     * sidecars. Reading them out of `data` would make PostgreSQL parse it, and its JSON parser
     * refuses the \u0000 and lone-surrogate escapes that `data` may hold (SQLite's does not).
     */
    tags: bytewiseText("tags").notNull().default("[]"),
    preview_count: integer("preview_count").notNull().default(0),
    /** Every text value of the session's preview sidecars (conversation.preview_messages), for search. */
    preview_text: bytewiseText("preview_text").notNull().default(""),
    /** Words of preview_text, as messages.search; read under the sessions policy (a small table). */
    preview_search: tsvector("preview_search").generatedAlwaysAs(sql`victor.search_vector(preview_text)`),
  },
  (t) => [
    primaryKey({ name: "sessions_pkey", columns: [t.project, t.id] }),
    index("sessions_updated_at_idx").on(t.project, t.updated_at, t.id),
    index("sessions_created_at_idx").on(t.project, t.created_at, t.id),
  ],
);

export const messages = victor.table(
  "messages",
  {
    project: bytewiseText("project").notNull(),
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity(),
    session_id: bytewiseText("session_id").notNull(),
    position: integer("position").notNull(),
    role: bytewiseText("role").notNull(),
    content: bytewiseText("content"),
    name: bytewiseText("name"),
    tool_calls: bytewiseText("tool_calls"),
    tool_call_id: bytewiseText("tool_call_id"),
    /** JSON of every other key of the message (see message-codec.ts), kept as text: compared as written. */
    extra: bytewiseText("extra"),
    created_at: bytewiseText("created_at").notNull().default(sql`to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`),
    /** Words of the content, accent- and case-folded; see victor.search_vector in drizzle/pg. */
    search: tsvector("search").generatedAlwaysAs(sql`victor.search_vector(content)`),
  },
  (t) => [
    primaryKey({ name: "messages_pkey", columns: [t.project, t.id] }),
    uniqueIndex("messages_session_position_idx").on(t.project, t.session_id, t.position),
    foreignKey({ name: "messages_session_fk", columns: [t.project, t.session_id], foreignColumns: [sessions.project, sessions.id] }).onDelete("cascade"),
    index("messages_search_idx").using("gin", t.search),
  ],
);

/** victor-migrate's record of every legacy file it has seen, per project and role. */
export const legacyImports = victor.table(
  "legacy_imports",
  {
    project: bytewiseText("project").notNull(),
    owner,
    source_path: bytewiseText("source_path").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    sha256: bytewiseText("sha256").notNull(),
    session_id: bytewiseText("session_id"),
    outcome: bytewiseText("outcome").notNull(),
    reason: bytewiseText("reason"),
    imported_at: bytewiseText("imported_at").notNull(),
    /** The session revision this import wrote (see the SQLite ledger); null = it wrote none. */
    revision: integer("revision"),
  },
  (t) => [primaryKey({ name: "legacy_imports_pkey", columns: [t.project, t.owner, t.source_path] })],
);

/**
 * What push/pull last agreed with a remote store, per session: the local and the remote revision
 * at that moment and the hash of the content they both had. A side whose revision moved since has
 * changed; both moved = a conflict (kept as a fork, never an overwrite).
 */
export const syncLedger = victor.table(
  "sync_ledger",
  {
    project: bytewiseText("project").notNull(),
    owner,
    /** The remote store, as its URL without password (see redactUrl) or its file path. */
    remote: bytewiseText("remote").notNull(),
    session_id: bytewiseText("session_id").notNull(),
    local_revision: integer("local_revision").notNull(),
    remote_revision: integer("remote_revision").notNull(),
    content_hash: bytewiseText("content_hash").notNull(),
    /** "push" or "pull": which way the content last travelled. */
    direction: bytewiseText("direction").notNull(),
    synced_at: bytewiseText("synced_at").notNull(),
  },
  (t) => [primaryKey({ name: "sync_ledger_pkey", columns: [t.project, t.owner, t.remote, t.session_id] })],
);

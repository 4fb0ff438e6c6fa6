import type { ContextRow, StoredRow } from "../domain/context-history.js";
import type { MessageColumns, MessageRow } from "../domain/message-codec.js";
import type { SessionDataColumn, SessionRowLike, SummaryRow } from "../domain/session-data.js";
import type { SyncEntry, SyncEntryFilter, SyncHead } from "../domain/sync-entry.js";
import type { HistoryDetails } from "../domain/session-tree.js";
import type { LedgerEntry, SearchResult, SessionOrder, StoreStats } from "../domain/types.js";

/**
 * The one interface between the session store (store.ts: one save algorithm, one import) and a
 * storage engine (engine/sqlite: better-sqlite3 + FTS5; engine/pg: PostgreSQL + tsvector). An
 * engine supplies transactions and, inside them, the small set of primitives below; everything
 * else — validation, titles, the message codec, the prefix diff of a re-save, import decisions,
 * id resolution, search ranking rules — is the domain's, the same on both engines. No driver type
 * appears here: the store and the public API never see one.
 */

/** A value now (SQLite: the driver is synchronous) or later (PostgreSQL): callers always await it. */
export type Awaitable<T> = T | Promise<T>;

/** What a save needs to know about the stored session before it writes. */
export interface StoredHead {
  id: string;
  revision: number;
  /** Random at creation: a session deleted and created again under its id is another incarnation. */
  incarnation: string;
  message_count: number;
  name: string;
  data: SessionDataColumn;
  created_at: string;
  parent_id: string | null;
  fork_point: number | null;
  /** Where the next message goes: one past the highest stored position (0 for none). */
  next_position: number;
}

/** The columns a save writes; `data` is the JSON text of the data column. */
export interface SessionWrite {
  name: string;
  search_title: string;
  provider: string;
  model: string;
  profile: string;
  data: string;
  created_at: string;
  updated_at: string;
  /** Messages in the context (what loadSession returns). */
  message_count: number;
  parent_id: string | null;
  fork_point: number | null;
  /** What list and search show of `data`: its tags (JSON text) and how many preview sidecars it has. */
  tags: string;
  preview_count: number;
}

/** A new session row: the columns plus its id, first revision and incarnation. */
export interface SessionInsert extends SessionWrite {
  id: string;
  revision: number;
  incarnation: string;
}

/** A message row to insert (the codec's row, see message-codec.ts, plus where and when). */
export interface MessageWrite extends MessageRow {
  session_id: string;
  position: number;
  created_at: string;
  /** null = in the context; N = outside it since epoch N (an imported history). */
  context_epoch: number | null;
  /** A copy of the row at that position (kept by a compaction). */
  carried_from: number | null;
}

/** A change of the context columns only (an undo from the shell). */
export interface ContextWrite {
  data: string;
  message_count: number;
  updated_at: string;
}

/** A stored session row as a load reads it. */
export interface SessionRow extends SessionRowLike {
  incarnation: string;
  /** One past the highest stored position (0 for none), as StoredHead has it. */
  next_position: number;
}

/** Which messages of which session to fingerprint: the first `count`. */
export interface FingerprintRequest {
  id: string;
  count: number;
}

/** A new user title (rename). */
export interface TitleWrite {
  name: string;
  search_title: string;
  data: string;
  updated_at: string;
}

/**
 * The primitives, valid inside one transaction (Engine.read or Engine.write). Writes bump the
 * revision themselves (`revision + 1`); inside a write transaction the session row read by `head`
 * stays as read until the transaction ends (SQLite: the write lock; PostgreSQL: the row is locked).
 */
export interface EngineTransaction {
  head(id: string): Awaitable<StoredHead | null>;
  /** Whether a session with exactly this id exists (visible to this role, on a server). */
  sessionExists(id: string): Awaitable<boolean>;
  /** Ids starting with `prefix`, bytewise order, at most `limit`. */
  idsWithPrefix(prefix: string, limit: number): Awaitable<string[]>;
  /** Creates a session under the id in the row; false when the id is taken (nothing written). */
  insertSession(row: SessionInsert): Awaitable<boolean>;
  /**
   * Creates a session under the first free id of `base`, `base_2`, … that `reserved` does not
   * hold; race-free against other writers. Returns the id taken.
   */
  insertSessionWithFreshId(base: string, row: Omit<SessionInsert, "id">, reserved?: ReadonlySet<string>): Awaitable<string>;
  /** Rewrites the columns of a session and bumps its revision (parent_id, fork_point: kept when null). */
  updateSession(id: string, row: SessionWrite): Awaitable<void>;
  updateTitle(id: string, title: TitleWrite): Awaitable<void>;
  /** Sets data, message_count and updated_at and bumps the revision. */
  updateContext(id: string, row: ContextWrite): Awaitable<void>;
  /** The rows in the model's context, in position order, from the `fromIndex`-th of them on (at most `limit`). */
  contextRows(id: string, fromIndex: number, limit?: number): Awaitable<ContextRow[]>;
  /** The same rows without their positions, all from the `fromIndex`-th on: what a load decodes. */
  contextColumns(id: string, fromIndex: number): Awaitable<MessageColumns[]>;
  /** Every stored row of a session, in position order, with its marks. */
  allRows(id: string): Awaitable<StoredRow[]>;
  /** Rows at `fromPosition` and after that are in the context leave it at `epoch`; returns how many. */
  markOutOfContext(id: string, fromPosition: number, epoch: number): Awaitable<number>;
  /**
   * Undoes `epoch`: its rows come back into the context; rows it appended (positions [from, to))
   * that are still in the context leave it at `undoEpoch`. Returns both counts.
   */
  restoreEpoch(id: string, epoch: number, appended: readonly [number, number], undoEpoch: number): Awaitable<{ restored: number; retracted: number }>;
  /** Sets the context mark of the rows at these positions. */
  setContextMarks(id: string, marks: readonly { position: number; context_epoch: number | null }[]): Awaitable<void>;
  insertMessages(rows: readonly MessageWrite[]): Awaitable<void>;
  /**
   * What `sessions tree` shows of each session besides its summary, in one query for them all (a
   * round trip per session would cost a server's tree seconds): how many of its rows are outside the
   * context, and its context changes.
   */
  historyDetails(ids: readonly string[]): Awaitable<Map<string, HistoryDetails>>;
  /** The searchable text of a session's preview sidecars changed from `before` to `after` ("" = none). */
  updatePreviewText(id: string, before: string, after: string, created: boolean): Awaitable<void>;

  sessionRow(id: string): Awaitable<SessionRow | null>;
  /** `allProjects`: a server's sessions of every project (a file holds one project's anyway). */
  listSessions(options: { orderBy: SessionOrder; limit: number; offset: number; allProjects?: boolean }): Awaitable<SummaryRow[]>;
  summary(id: string): Awaitable<SummaryRow | null>;
  countSessions(): Awaitable<number>;
  stats(): Awaitable<StoreStats>;
  /** Every id, oldest first. */
  exportIds(): Awaitable<string[]>;
  search(query: string, limit: number, options?: { allProjects?: boolean }): Awaitable<SearchResult[]>;

  deleteSession(id: string): Awaitable<boolean>;
  deleteSessionsWithPrefix(prefix: string): Awaitable<number>;
  deleteAllSessions(): Awaitable<number>;

  ledgerEntry(sourcePath: string): Awaitable<LedgerEntry | null>;
  listLedger(): Awaitable<LedgerEntry[]>;
  upsertLedger(entry: LedgerEntry): Awaitable<void>;
  /** Records a failed source, keeping the session and revision an earlier import wrote. */
  recordLedgerFailure(entry: LedgerEntry): Awaitable<void>;

  /** What push/pull compare of every session this store's user may read (or of the listed ids). */
  syncHeads(ids?: readonly string[]): Awaitable<SyncHead[]>;
  /**
   * For each session, a fingerprint of the first `count` messages of its context, as this engine computes
   * it: it changes whenever any of those rows changes. Null when the session has fewer messages.
   * Many at once: a server answers them all in one round trip.
   */
  messagesFingerprints(requests: readonly FingerprintRequest[]): Awaitable<(string | null)[]>;
  /** The sync ledger's rows about one remote store (all, or those the filter names). */
  syncEntries(remote: string, filter?: SyncEntryFilter): Awaitable<SyncEntry[]>;
  upsertSyncEntries(entries: readonly SyncEntry[]): Awaitable<void>;
  /** Shares a session with the server's other users, or makes it private again (PostgreSQL only). */
  setShared(id: string, shared: boolean): Awaitable<void>;
}

export type EngineKind = "sqlite" | "postgres";

export interface WriteOptions {
  /**
   * The transaction decides from rows it does not lock (an import reads the ledger and picks free
   * ids): no other such transaction may run meanwhile. SQLite's writes are all exclusive anyway.
   */
  exclusive?: boolean;
}

export interface Engine {
  readonly kind: EngineKind;
  /** The database file, or the server's URL without its password: for messages. */
  readonly location: string;
  /**
   * Names this store in another store's sync ledger, the same on every run: the machine and the
   * file's path, or the server, role, database and project (never a password).
   */
  readonly identity: string;
  readonly readonly: boolean;
  /** One consistent snapshot: the session row and its messages agree. */
  read<T>(fn: (tx: EngineTransaction) => Promise<T>): Promise<T>;
  /** One transaction: everything `fn` wrote commits together, or nothing does. */
  write<T>(fn: (tx: EngineTransaction) => Promise<T>, options?: WriteOptions): Promise<T>;
  /** Makes what is committed durable in the main file (SQLite's WAL checkpoint); nothing elsewhere. */
  checkpoint(): Promise<void>;
  close(): Promise<void>;
}

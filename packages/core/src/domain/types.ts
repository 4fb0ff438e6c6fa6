/**
 * The public shapes of @victor/core. The session envelope keeps the legacy JSON layout
 * (`metadata`, `conversation`, `conversation_state`, `tool_selection_stats`) so old tooling keeps working.
 */

/** One chat message. The five standard keys are columns; any other key is kept verbatim. */
export interface Message {
  role: string;
  content?: unknown;
  name?: string | null;
  tool_calls?: unknown;
  tool_call_id?: string | null;
  [key: string]: unknown;
}

/** The conversation: messages plus the legacy conversation fields (system_prompt, max_history, …). */
export interface Conversation {
  messages: Message[];
  system_prompt?: string;
  system_added?: boolean;
  max_history?: number;
  preview_messages?: unknown[];
  [key: string]: unknown;
}

export interface SessionMetadata {
  session_id: string;
  created_at: string;
  updated_at: string;
  model: string;
  provider: string;
  profile: string;
  message_count: number;
  title: string;
  tags: string[];
  /** true when the title was given by the user (kept on later saves); false when derived. */
  title_is_custom: boolean;
  /** Bumped on every write; pass it back as `expectedRevision` to detect concurrent saves. */
  revision: number;
  /** The session this one was forked from, if any. */
  parent_id: string | null;
  /** How many messages of the parent's context the fork copied (`sessions fork --at N`); null when not a fork. */
  fork_point: number | null;
  /** Unknown metadata keys of an imported session, kept verbatim. */
  [key: string]: unknown;
}

/**
 * What changed a session's context (a save that departs from the stored context records one):
 * `/compact`, `/compact --smart`, `/rewind`, a caller replacing messages, an import over saved work.
 */
export type ContextChangeKind = "compact" | "compact-smart" | "rewind" | "replace" | "import";

/** What a save says about the change it makes; see SaveSessionInput.contextChange. */
export interface ContextChangeRequest {
  kind: ContextChangeKind;
  through?: number;
}

/**
 * One change of a session's context, an epoch. Messages it took out of the context carry its
 * number; `appended` are the positions it added (a summary, messages carried over). An undo is an
 * epoch too: its `removed` are the appended messages it took back out, `restored` the ones it
 * brought back.
 */
export interface ContextEpoch {
  epoch: number;
  kind: ContextChangeKind | "undo";
  /** When (ISO UTC). */
  at: string;
  /** How many messages left the context. */
  removed: number;
  /** Positions [from, to) this change appended. */
  appended: [number, number];
  /** Undo: the epoch it reverted, and how many messages came back. */
  undoes?: number;
  restored?: number;
  /** Set on a change a later undo reverted. */
  undone_by?: number;
}

/**
 * Everything of a session beyond its context, in an envelope (JSON export, `show --json --all`,
 * `loadSession(id, { all: true })`): the change records, where each message of
 * `conversation.messages` is stored, and every message outside the context with the epoch that
 * took it out. `carried_from`: the row is a copy of the row at that position (kept by a compaction).
 * Absent for a session whose context is all it ever had.
 */
export interface ContextHistory {
  epochs: ContextEpoch[];
  context: { position: number; carried_from?: number }[];
  out_of_context: { position: number; epoch: number; carried_from?: number; message: Message }[];
}

/** The full session envelope: what loadSession returns, `show --json` prints and `export` writes. */
export interface Session {
  metadata: SessionMetadata;
  conversation: Conversation;
  conversation_state: unknown;
  tool_selection_stats: unknown;
  /** With `{ all: true }` and in exports, when the session has a history (see ContextHistory). */
  context_history?: ContextHistory;
  /** Unknown top-level keys of an imported session (e.g. "execution_state"), kept verbatim. */
  [key: string]: unknown;
}

export interface SaveSessionInput {
  conversation: Conversation;
  model: string;
  provider: string;
  profile?: string;
  /** Update (or create with) this id; omitted = a new `YYYYMMDD_HHMMSS` id. */
  sessionId?: string;
  /** A user title: kept on later saves until changed. Omitted = keep a custom title or derive one. */
  title?: string;
  tags?: string[];
  conversationState?: unknown;
  toolSelectionStats?: unknown;
  /**
   * Fail with SessionConflictError if the stored revision differs (someone else saved since).
   * Without it a save is still checked: against the revision and incarnation this store last loaded
   * or saved of the session (safe by default; a session the store never saw is written as asked).
   */
  expectedRevision?: number;
  /** Overwrite whatever is stored now, even a save made by another process since this store's last load or save. */
  force?: boolean;
  /** Fail with SessionExistsError instead of updating when `sessionId` is taken. */
  createOnly?: boolean;
  /** The input describes the whole session: title, tags and extras are not kept from the stored one. */
  replace?: boolean;
  /** For imports: original timestamps (any ISO form; naive = local time). Default: now. */
  createdAt?: string;
  updatedAt?: string;
  parentId?: string | null;
  /**
   * For imports: when each message was written (ISO UTC), stored in messages.created_at; one per
   * message of `conversation.messages` (with keepMessages: from position keepMessages on). Default: updatedAt.
   */
  messageTimes?: readonly (string | null)[];
  /** Unknown top-level envelope keys, kept verbatim (imports). */
  extra?: Record<string, unknown>;
  /** Unknown metadata keys, kept verbatim (imports). */
  metadataExtra?: Record<string, unknown>;
  /**
   * For long imports written in chunks: the first N stored messages stay as they are and
   * `conversation.messages` are the messages from position N on (anything stored after them goes).
   * The session must exist with at least N messages. Without a title, the stored one is kept.
   */
  keepMessages?: number;
  /**
   * What this save does to the context, when it departs from the stored one: recorded with the
   * change (default "replace", or "import" for imports). `through`: the first N messages of the new
   * conversation are the change's result (a summary, messages carried over); later ones are plain
   * appends (an undo leaves those in the context). `{ kind: "undo", epoch }` reverts that change
   * first (see undoContextChange), then saves the conversation as usual (`then`: what a departure
   * from the restored context is, e.g. a compaction made after the undo).
   */
  contextChange?: ContextChangeRequest | { kind: "undo"; epoch: number; then?: ContextChangeRequest };
  /** With parentId: how many messages of the parent's context this fork copied. */
  forkPoint?: number;
  /** For imports: the session's history (an envelope's context_history), restored as it was. */
  history?: ContextHistory & { mismatched?: boolean };
}

export interface LoadSessionOptions {
  /** Add the messages outside the model's context, each marked (Session.context_history). */
  all?: boolean;
}

export interface UndoResult {
  sessionId: string;
  revision: number;
  /** The change that was reverted (as it is recorded now, with undone_by). */
  undone: ContextEpoch;
  /** Messages back in the context, and those the change had appended that left it. */
  restored: number;
  retracted: number;
  messageCount: number;
}

/** What an undo of a session's latest context change would give, without writing it. */
export interface UndoPreview {
  change: ContextEpoch;
  /** The context after the undo. */
  messages: Message[];
  revision: number;
}

/** A session in a tree of forks (SessionStore.sessionTree). */
export interface SessionTreeNode {
  summary: SessionSummary;
  /** Messages stored outside the context (compacted, rewound, replaced). */
  outOfContext: number;
  epochs: ContextEpoch[];
  forks: SessionTreeNode[];
}

export interface SessionTree {
  roots: SessionTreeNode[];
  /** Parents named by a root that no longer exist (deleted): forks outlive them. */
  missingParents: string[];
}

export interface SaveSessionResult {
  sessionId: string;
  /** The title stored: the user's, or the one derived from the first user message. */
  title: string;
  created: boolean;
  revision: number;
  messageCount: number;
}

export interface SessionSummary {
  id: string;
  title: string;
  model: string;
  provider: string;
  profile: string;
  messageCount: number;
  createdAt: string;
  updatedAt: string;
  tags: string[];
  parentId: string | null;
  /** How many of the parent's messages the fork copied; null when not a fork. */
  forkPoint: number | null;
  revision: number;
  /** How many preview sidecars (conversation.preview_messages) the session has (always set by the store). */
  previewCount?: number;
  /** On a server (absent in a file): the project key the session belongs to (see resolveProjectKey). */
  project?: string;
  /** On a server: the role that wrote it. */
  owner?: string;
  /** On a server: the host name it was last written from. */
  machine?: string;
  /** On a server: visible to its other users (`victor sessions push --share`), not only its owner. */
  shared?: boolean;
}

export interface SearchResult extends SessionSummary {
  /** A short excerpt around the best match, matches wrapped in [ ]; the title when only it matched. */
  snippet: string;
  /** Which message matched best (0-based position, as `show --all` counts), or null for a title-only match. */
  matchPosition: number | null;
  /** Whether that message is in the model's context; false for a compacted (or rewound) one; null for a title-only match. */
  matchInContext: boolean | null;
}

export interface StoreStats {
  sessions: number;
  messages: number;
  /** created_at of the oldest and newest session; null when there are none. */
  oldest: string | null;
  newest: string | null;
  /** Sessions per model ("" when none was recorded). */
  models: Record<string, number>;
}

export type SessionOrder = "updated" | "created" | "title";

export interface ListSessionsOptions {
  limit?: number;
  offset?: number;
  orderBy?: SessionOrder;
  /** A server's sessions of every project, not only the store's (a file holds one project's anyway). */
  allProjects?: boolean;
}

export interface SearchSessionsOptions {
  limit?: number;
  /** As in ListSessionsOptions. */
  allProjects?: boolean;
}

export interface OpenSessionStoreOptions {
  /**
   * The PostgreSQL server, `postgres://user@host/db?sslmode=…` (libpq's PG* variables, PGPASSWORD
   * and ~/.pgpass fill the rest). Wins over everything else.
   */
  url?: string;
  /**
   * Explicit database: a file path, or a postgres:// URL (as `url`). Wins over VICTOR_DB_URL,
   * VICTOR_DB_PATH and project discovery.
   */
  dbPath?: string;
  /** Where project discovery starts; default process.cwd(). */
  cwd?: string;
  /** Environment to read VICTOR_DB_URL, VICTOR_DB_PATH and VICTOR_PROJECT from; default process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * PostgreSQL: the project key every query is limited to. Default: the normalised git remote of
   * the project (github.com/org/repo), else VICTOR_PROJECT, else `"project"` in the project's
   * `.victor/config.json` (see currentProjectKey).
   */
  project?: string;
  /** Open without creating or migrating anything; fails if the file does not exist. */
  readonly?: boolean;
  /** How long to wait for another process's write lock, in ms (default 10,000). */
  busyTimeoutMs?: number;
}

/** One source recorded by victor-migrate, so re-runs import only new or changed ones. */
export interface LedgerEntry {
  /** A legacy file's path, or `<db path>#sessions/<id>` for a session row of a Python Victor database. */
  sourcePath: string;
  size: number;
  sha256: string;
  sessionId: string | null;
  outcome: LedgerOutcome;
  reason: string | null;
  importedAt: string;
  /** The session revision the import wrote; null when it wrote none (a conflict, a failure, …). */
  revision: number | null;
}

/**
 * "forked": the source changed after its session was saved again, so its new version was stored
 * beside it. "contained": a session with its id already holds its whole conversation (e.g. it was
 * opened with /load and saved), so nothing was written. "partial": a long source is being written
 * in parts (see ImportSource.partial) and its session holds only the parts written so far: the
 * source is not in the store yet, but the session is its own (a run killed part way is redone into it).
 */
export type LedgerOutcome = "imported" | "recovered" | "updated" | "unchanged" | "forked" | "contained" | "partial" | "conflict" | "failed" | "ignored";

export type ConflictPolicy = "skip" | "rename" | "overwrite";

/** Where an imported session comes from, for the ledger. */
export interface ImportSource {
  /** Ledger key: a file's path, or `<db path>#sessions/<id>`. */
  key: string;
  size: number;
  sha256: string;
  /** Notes for the ledger's reason column. */
  reason?: string | null;
  /** A successful import is recorded as "recovered" instead of "imported" (a repaired file). */
  recovered?: boolean;
  /**
   * This item is one part of a long source, not its last (see SaveSessionInput.keepMessages): the
   * ledger records the session and revision it wrote as "partial", and it is never found
   * "unchanged" or "contained" (the rest of the source is not known yet).
   */
  partial?: boolean;
}

export interface ImportItem {
  input: SaveSessionInput & { sessionId: string };
  /**
   * When the id is taken by a session this source did not write: skip (report), rename (store it
   * under a new id) or overwrite. Sessions saved since this source's own import are never
   * overwritten short of "overwrite": the source's new version is stored beside them instead.
   */
  onConflict: ConflictPolicy;
  /** Ledger-tracked source (victor-migrate, victor import); omitted for a plain import of an export file. */
  source?: ImportSource;
  /**
   * With `input.keepMessages` > 0 (required then): the item continues its source's own session as
   * that source's previous part or import left it, at this revision. It is written only into that
   * session, unchanged since; otherwise nothing is written and the result is "stale" (send the
   * source whole again: the decision is then taken on all of it).
   */
  continuesRevision?: number;
  /**
   * The revision the session had where it comes from (an export file's metadata.revision): among
   * several items of one batch with the same id, the newest copy is imported (higher revision, then
   * later updated_at, then the later item) and the others are reported as "superseded".
   */
  revision?: number;
}

export interface ImportOptions {
  /**
   * Ids no renamed or forked copy may take besides the batch's own: all the ids of an import sent
   * in several batches (an export file streamed), so a copy renamed in one batch never takes the id
   * a later batch asks for.
   */
  reservedIds?: ReadonlySet<string>;
}

/**
 * created / updated (this source's own session, untouched since) / renamed / overwritten /
 * unchanged (the ledger has this exact source) / contained (the session holds it already) /
 * forked (stored beside a session saved since) / skipped-conflict / stale (a continuation whose
 * session moved on: nothing written, see ImportItem.continuesRevision) / superseded (a newer copy
 * of the same id in the same batch was imported instead, see ImportItem.revision).
 */
export type ImportStatus = "created" | "updated" | "renamed" | "overwritten" | "unchanged" | "contained" | "forked" | "skipped-conflict" | "stale" | "superseded";

export interface ImportItemResult {
  requestedId: string;
  /** Where the source's content is now; null when skipped. */
  sessionId: string | null;
  status: ImportStatus;
  /** The session's revision this import wrote (absent when it wrote none). */
  revision?: number;
  /** The session that was in the way (forked, contained, skipped-conflict) and why. */
  existing?: { sessionId: string; reason: "saved-since-import" | "linked-to-source" | "other-source" | "newer-copy" };
}

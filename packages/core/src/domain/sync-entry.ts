/**
 * The shapes push/pull read and write on every engine: a session's sync state (SyncHead, no data
 * column, no message) and a row of the sync ledger (SyncEntry), with the ledger's column mapping,
 * the same in both engines' schemas.
 */

/** What a sync compares of a session, for every session at once. */
export interface SyncHead {
  id: string;
  revision: number;
  incarnation: string;
  message_count: number;
  updated_at: string;
  created_at: string;
  parent_id: string | null;
  /** Whether this store's user may change it (PostgreSQL: it is their own; a file: always). */
  writable: boolean;
  /** Visible to the server's other users (PostgreSQL; false in a file). */
  shared: boolean;
  /** The role that wrote it (PostgreSQL); null in a file. */
  owner: string | null;
}

/** One side of a session at the moment of a sync. */
export interface SideState {
  revision: number;
  incarnation: string;
  /** messagesFingerprint of the first `messageCount` messages, as this side's engine computes it. */
  fingerprint: string;
}

/**
 * What push/pull last agreed with another store (`remote`: its identity) about one session, from
 * the side that holds the row: `local` is this side, `remote` the other.
 */
export interface SyncEntry {
  remote: string;
  sessionId: string;
  remoteSessionId: string;
  local: SideState;
  remoteSide: SideState;
  /** Messages both sides had. */
  messageCount: number;
  /** The engine-independent hash of those messages (see sync/content-hash.ts). */
  messagesHash: string;
  /** The hash of the whole session both sides had (see sync/content-hash.ts). */
  contentHash: string;
  direction: "push" | "pull";
  syncedAt: string;
}

/** The ledger's columns (snake_case, as both schemas name them). */
export interface SyncLedgerRow {
  remote: string;
  session_id: string;
  remote_session_id: string;
  local_revision: number;
  local_incarnation: string;
  local_fingerprint: string;
  remote_revision: number;
  remote_incarnation: string;
  remote_fingerprint: string;
  message_count: number;
  messages_hash: string;
  content_hash: string;
  direction: string;
  synced_at: string;
}

export function syncEntryToRow(entry: SyncEntry): SyncLedgerRow {
  return {
    remote: entry.remote,
    session_id: entry.sessionId,
    remote_session_id: entry.remoteSessionId,
    local_revision: entry.local.revision,
    local_incarnation: entry.local.incarnation,
    local_fingerprint: entry.local.fingerprint,
    remote_revision: entry.remoteSide.revision,
    remote_incarnation: entry.remoteSide.incarnation,
    remote_fingerprint: entry.remoteSide.fingerprint,
    message_count: entry.messageCount,
    messages_hash: entry.messagesHash,
    content_hash: entry.contentHash,
    direction: entry.direction,
    synced_at: entry.syncedAt,
  };
}

export function syncEntryFromRow(row: SyncLedgerRow): SyncEntry {
  return {
    remote: row.remote,
    sessionId: row.session_id,
    remoteSessionId: row.remote_session_id,
    local: { revision: row.local_revision, incarnation: row.local_incarnation, fingerprint: row.local_fingerprint },
    remoteSide: { revision: row.remote_revision, incarnation: row.remote_incarnation, fingerprint: row.remote_fingerprint },
    messageCount: row.message_count,
    messagesHash: row.messages_hash,
    contentHash: row.content_hash,
    direction: row.direction === "pull" ? "pull" : "push",
    syncedAt: row.synced_at,
  };
}

/** Which ledger rows of one remote to read: by this side's ids, by the other side's, or both (OR). */
export interface SyncEntryFilter {
  sessionIds?: readonly string[];
  remoteSessionIds?: readonly string[];
}


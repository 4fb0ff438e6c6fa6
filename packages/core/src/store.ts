import { count, eq } from "drizzle-orm";
import { openConnection, type Connection } from "./db.js";
import { AmbiguousSessionIdError, DamagedSessionError, DatabaseOpenError, InvalidSessionDataError, InvalidSessionIdError, SessionNotFoundError } from "./errors.js";
import { foldForSearch } from "./fold.js";
import { rebuildPreviewIndex } from "./preview-index.js";
import { assertValidSessionId, isValidSessionId } from "./ids.js";
import { importInTransaction, transactionState } from "./import-sessions.js";
import { ImportSimulation } from "./import-simulation.js";
import { ledgerFromRow, recordFailure } from "./ledger.js";
import { decodeMessage, type MessageRow } from "./message-codec.js";
import { resolveDbPath } from "./paths.js";
import { saveSessionInTransaction, type SaveContext } from "./save-session.js";
import { sessions } from "./schema.js";
import { searchSessions } from "./search.js";
import { buildEnvelope, toSummary, type SummaryRow } from "./session-data.js";
import { SnapshotCache, type Snapshot } from "./snapshot-cache.js";
import { writeVerifiedBackup, type BackupResult } from "./sqlite-maintenance/backup.js";
import { toVictorError } from "./sqlite-errors.js";
import { prepareStatements, type Statements } from "./statements.js";
import { isoNow } from "./time.js";
import type {
  ImportItem,
  ImportItemResult,
  LedgerEntry,
  ListSessionsOptions,
  OpenSessionStoreOptions,
  SaveSessionInput,
  SaveSessionResult,
  SearchResult,
  Session,
  SessionSummary,
  StoreStats,
} from "./types.js";

const DEFAULT_LIST_LIMIT = 10;
const DEFAULT_SEARCH_LIMIT = 10;

/** The ids starting with `prefix` are those in [prefix, prefix + 1 in the last character). */
function prefixUpperBound(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/**
 * The session store over one SQLite file. The API is async so another engine can sit behind it;
 * today every call runs synchronously on better-sqlite3, each write in one BEGIN IMMEDIATE
 * transaction (a killed process leaves the old or the new session, never a mix).
 */
export class SessionStore {
  private readonly statements: Statements;
  private readonly snapshots = new SnapshotCache();
  private closed = false;

  private constructor(private readonly conn: Connection) {
    this.statements = prepareStatements(conn);
  }

  static open(options: OpenSessionStoreOptions = {}): SessionStore {
    const path = resolveDbPath(options);
    return new SessionStore(openConnection(path, { readonly: options.readonly, busyTimeoutMs: options.busyTimeoutMs }));
  }

  /** The absolute path of the database file. */
  get dbPath(): string {
    return this.conn.path;
  }

  get readonly(): boolean {
    return this.conn.readonly;
  }

  private run<T>(fn: () => T): T {
    if (this.closed) throw new DatabaseOpenError(this.conn.path, "the store was closed");
    try {
      return fn();
    } catch (error) {
      throw toVictorError(error, this.conn.path);
    }
  }

  private write<T>(fn: () => T): T {
    if (this.conn.readonly) throw new DatabaseOpenError(this.conn.path, "it was opened read-only");
    return this.run(() => this.conn.sqlite.transaction(fn).immediate());
  }

  private get saveContext(): SaveContext {
    return { conn: this.conn, statements: this.statements, snapshots: this.snapshots };
  }

  async saveSession(input: SaveSessionInput): Promise<SaveSessionResult> {
    const outcome = this.write(() => saveSessionInTransaction(this.saveContext, input));
    this.remember(outcome.result.sessionId, outcome.snapshot);
    return outcome.result;
  }

  private remember(sessionId: string, snapshot: Snapshot | null): void {
    if (snapshot) this.snapshots.set(sessionId, snapshot);
    else this.snapshots.delete(sessionId);
  }

  /** The full id for an id or a unique prefix of one. */
  async resolveSessionId(idOrPrefix: string): Promise<string> {
    return this.run(() => this.resolveIdSync(idOrPrefix));
  }

  private resolveIdSync(idOrPrefix: string): string {
    if (typeof idOrPrefix !== "string" || !isValidSessionId(idOrPrefix)) throw new InvalidSessionIdError(String(idOrPrefix));
    if (this.statements.sessionExists.get({ id: idOrPrefix })) return idOrPrefix;
    const candidates = this.idsWithPrefix(idOrPrefix, 50);
    if (candidates.length === 0) throw new SessionNotFoundError(idOrPrefix);
    if (candidates.length > 1) throw new AmbiguousSessionIdError(idOrPrefix, candidates);
    return candidates[0]!;
  }

  private idsWithPrefix(prefix: string, limit: number): string[] {
    return this.statements.idsInRange.all(prefix, prefixUpperBound(prefix), limit);
  }

  /** Whether a session with exactly this id exists. */
  async hasSession(id: string): Promise<boolean> {
    assertValidSessionId(id);
    return this.run(() => this.statements.sessionExists.get({ id }) !== undefined);
  }

  /** Ids starting with `prefix` (for completion and `clear PREFIX` previews). */
  async findSessionIds(prefix: string, limit = 1000): Promise<string[]> {
    if (!isValidSessionId(prefix)) throw new InvalidSessionIdError(prefix);
    return this.run(() => this.idsWithPrefix(prefix, limit));
  }

  /** The session for an id or unique prefix; null when none matches. Ambiguous prefixes throw. */
  async loadSession(idOrPrefix: string): Promise<Session | null> {
    return this.run(() => {
      let id: string;
      try {
        id = this.resolveIdSync(idOrPrefix);
      } catch (error) {
        if (error instanceof SessionNotFoundError) return null;
        throw error;
      }
      return this.loadByIdSync(id);
    });
  }

  /** Like loadSession, but a missing session is a SessionNotFoundError. */
  async getSession(idOrPrefix: string): Promise<Session> {
    const session = await this.loadSession(idOrPrefix);
    if (!session) throw new SessionNotFoundError(idOrPrefix);
    return session;
  }

  private loadByIdSync(id: string): Session | null {
    try {
      return this.readSessionSync(id);
    } catch (error) {
      if (error instanceof SyntaxError) throw new DamagedSessionError(id, this.conn.path, error.message, { cause: error });
      throw error;
    }
  }

  private readSessionSync(id: string): Session | null {
    // One read transaction, so the session row and its messages are of the same revision.
    return this.conn.sqlite.transaction(() => {
      const row = this.statements.sessionRow.get({ id });
      if (!row) return null;
      const rows = this.statements.messagesOf.all({ id }) as MessageRow[];
      const messages = rows.map(decodeMessage);
      const lastEncoded = rows.length > 0 ? JSON.stringify(rows.at(-1)) : null;
      this.snapshots.set(id, { revision: row.revision, createdAt: row.created_at, messages: messages.slice(), lastEncoded });
      return buildEnvelope(row, messages);
    })();
  }

  /** Newest first (by last update) unless `orderBy` says otherwise. */
  async listSessions(options: ListSessionsOptions = {}): Promise<SessionSummary[]> {
    const limit = options.limit ?? DEFAULT_LIST_LIMIT;
    const offset = options.offset ?? 0;
    return this.run(() => {
      // Read inside run(): statements are prepared on first use, which a closed store must refuse with a typed error.
      const statement =
        options.orderBy === "created" ? this.statements.listByCreated : options.orderBy === "title" ? this.statements.listByTitle : this.statements.listByUpdated;
      return (statement.all({ limit: limit < 0 ? -1 : limit, offset }) as SummaryRow[]).map(toSummary);
    });
  }

  async getSummary(idOrPrefix: string): Promise<SessionSummary> {
    return this.run(() => {
      const id = this.resolveIdSync(idOrPrefix);
      return toSummary(this.statements.summary.get({ id }) as SummaryRow);
    });
  }

  async countSessions(): Promise<number> {
    return this.run(() => this.conn.db.select({ n: count() }).from(sessions).get()?.n ?? 0);
  }

  /** Totals for a status view, computed by SQLite (no session is read). */
  async stats(): Promise<StoreStats> {
    return this.run(() => {
      const totals = this.conn.sqlite
        .prepare(`SELECT count(*) AS sessions, coalesce(sum(message_count), 0) AS messages, min(created_at) AS oldest, max(created_at) AS newest FROM sessions`)
        .get() as Omit<StoreStats, "models">;
      const models = this.conn.sqlite.prepare(`SELECT model, count(*) AS n FROM sessions GROUP BY model ORDER BY n DESC`).all() as { model: string; n: number }[];
      return { ...totals, models: Object.fromEntries(models.map((m) => [m.model, m.n])) };
    });
  }

  /** Full-text search over titles and message content; see search.ts for the query rules. */
  async searchSessions(query: string, options: { limit?: number } = {}): Promise<SearchResult[]> {
    return this.run(() => searchSessions(this.conn.sqlite, String(query ?? ""), options.limit ?? DEFAULT_SEARCH_LIMIT));
  }

  /** Deletes one session (exact id) and its messages; false if there was none. */
  async deleteSession(id: string): Promise<boolean> {
    assertValidSessionId(id);
    const changes = this.write(() => this.statements.deleteSession.run({ id }).changes);
    this.snapshots.delete(id);
    return changes > 0;
  }

  /**
   * Deletes every session whose id starts with `prefix`, all with `{ all: true }`, or exactly the
   * listed `ids` (what a confirmation showed: a session saved meanwhile is kept); returns how many.
   */
  async deleteSessions(selector: { prefix: string } | { all: true } | { ids: readonly string[] }): Promise<number> {
    if ("ids" in selector) for (const id of selector.ids) assertValidSessionId(id);
    const changes = this.write(() => {
      if ("all" in selector) return this.conn.sqlite.prepare(`DELETE FROM sessions`).run().changes;
      if ("ids" in selector) return selector.ids.reduce((n, id) => n + this.statements.deleteSession.run({ id }).changes, 0);
      assertValidSessionId(selector.prefix);
      return this.conn.sqlite.prepare(`DELETE FROM sessions WHERE id >= ? AND id < ?`).run(selector.prefix, prefixUpperBound(selector.prefix)).changes;
    });
    this.snapshots.clear();
    return changes;
  }

  /** Sets a user title (kept on later saves); returns the new revision. */
  async renameSession(idOrPrefix: string, title: string): Promise<{ sessionId: string; revision: number }> {
    const clean = String(title ?? "").replace(/\s+/g, " ").trim();
    if (clean === "") throw new InvalidSessionDataError("A title cannot be empty.");
    return this.write(() => {
      const id = this.resolveIdSync(idOrPrefix);
      const head = this.statements.sessionHead.get({ id })!;
      const revision = head.revision + 1;
      this.conn.db
        .update(sessions)
        .set({ name: clean, search_title: foldForSearch(clean), data: { ...head.data, title_is_custom: true }, revision, updated_at: isoNow() })
        .where(eq(sessions.id, id))
        .run();
      return { sessionId: id, revision };
    });
  }

  /** A copy of a session under a new id, remembering where it came from (parent_id). */
  async forkSession(idOrPrefix: string, options: { title?: string } = {}): Promise<SaveSessionResult> {
    const source = await this.getSession(idOrPrefix);
    const { metadata, conversation, conversation_state, tool_selection_stats, ...extra } = source;
    return this.saveSession({
      conversation,
      model: metadata.model,
      provider: metadata.provider,
      profile: metadata.profile,
      title: options.title ?? (metadata.title_is_custom ? `${metadata.title} (fork)` : undefined),
      tags: metadata.tags,
      conversationState: conversation_state,
      toolSelectionStats: tool_selection_stats,
      parentId: metadata.session_id,
      extra,
    });
  }

  /** Every session, oldest first, one at a time: memory stays flat however many there are. */
  async *exportSessions(): AsyncGenerator<Session> {
    const ids = this.run(() => (this.conn.sqlite.prepare(`SELECT id FROM sessions ORDER BY created_at, id`).all() as { id: string }[]).map((r) => r.id));
    for (const id of ids) {
      const session = this.run(() => this.loadByIdSync(id));
      if (session) yield session;
    }
  }

  /**
   * Imports many sessions in one transaction (fast, and all-or-nothing), applying each item's
   * conflict policy and recording its ledger entry in the same transaction.
   */
  async importSessions(items: readonly ImportItem[]): Promise<ImportItemResult[]> {
    const outcome = this.write(() => importInTransaction(this.saveContext, items));
    for (const { sessionId, snapshot } of outcome.snapshots) this.remember(sessionId, snapshot);
    return outcome.results;
  }

  /**
   * What importing these items would do, by the same rules as importSessions, over this store as
   * it is (read only). Keep the simulation for a whole run: later items see the earlier ones.
   */
  simulateImports(): ImportSimulation {
    return new ImportSimulation(transactionState(this.saveContext));
  }

  async getLedgerEntry(sourcePath: string): Promise<LedgerEntry | null> {
    return this.run(() => {
      const row = this.statements.ledgerGet.get({ path: sourcePath });
      return row ? ledgerFromRow(row) : null;
    });
  }

  async listLedger(): Promise<LedgerEntry[]> {
    return this.run(() => this.statements.ledgerAll.all().map(ledgerFromRow));
  }

  /** Records sources that could not be imported; an earlier import's session stays linked to its source. */
  async recordFailedSources(entries: readonly LedgerEntry[]): Promise<void> {
    this.write(() => {
      for (const entry of entries) recordFailure(this.conn, entry);
    });
  }

  /**
   * A consistent, verified copy of the database (VACUUM INTO under the write lock, integrity_check
   * and per-table row counts, written under a temporary name and renamed once checked). Refuses to
   * overwrite an existing file. Without a destination: `<db>.backup-YYYYMMDD-HHMMSS` next to the
   * database, keeping the newest `keep` of those (default 5).
   */
  async backupTo(destination?: string, options: { keep?: number } = {}): Promise<BackupResult> {
    if (this.conn.readonly) throw new DatabaseOpenError(this.conn.path, "it was opened read-only; a backup needs the write lock for a moment");
    return this.run(() => {
      const sqlite = this.conn.sqlite;
      sqlite.exec("BEGIN IMMEDIATE");
      try {
        return writeVerifiedBackup(this.conn.path, sqlite, { destination, keep: options.keep });
      } finally {
        sqlite.exec("ROLLBACK");
      }
    });
  }

  /**
   * Rebuilds the full-text indexes from the tables: for rows written by hand (sqlite3) or by
   * another tool, which the store did not index. Returns how many messages are indexed.
   */
  async rebuildSearchIndex(): Promise<number> {
    return this.write(() => {
      this.conn.sqlite.exec(`INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')`);
      rebuildPreviewIndex(this.conn.sqlite);
      return (this.conn.sqlite.prepare(`SELECT count(*) AS n FROM messages WHERE content IS NOT NULL`).get() as { n: number }).n;
    });
  }

  /**
   * Moves what the write-ahead log holds into the database file and empties the log, without waiting
   * for other processes (if one is reading, the pages are copied and the log stays for SQLite to reuse).
   * A process that keeps the store open for long — a chat — calls it after its saves, so the database
   * file alone holds them (a `cp` of it is complete) and no stale `-wal` is left to replay.
   */
  async checkpoint(): Promise<void> {
    if (this.conn.readonly) return;
    this.run(() => {
      const wait = this.conn.sqlite.pragma("busy_timeout", { simple: true }) as number;
      this.conn.sqlite.pragma("busy_timeout = 0");
      try {
        const [result] = this.conn.sqlite.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
        if (result?.busy) this.conn.sqlite.pragma("wal_checkpoint(PASSIVE)");
      } finally {
        this.conn.sqlite.pragma(`busy_timeout = ${wait}`);
      }
    });
  }

  /** PRAGMA integrity_check: "ok" or the problems SQLite found. */
  async integrityCheck(): Promise<string> {
    return this.run(() => {
      const rows = this.conn.sqlite.pragma("integrity_check") as { integrity_check: string }[];
      return rows.map((r) => r.integrity_check).join("\n");
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (defaultStores.get(this.conn.path) === this) defaultStores.delete(this.conn.path);
    this.snapshots.clear();
    this.conn.sqlite.close();
  }
}

export async function openSessionStore(options: OpenSessionStoreOptions = {}): Promise<SessionStore> {
  return SessionStore.open(options);
}

const defaultStores = new Map<string, SessionStore>();

/**
 * The one-line entry point: the store of the current project (or `--db`/VICTOR_DB_PATH), opened
 * once per process and shared.
 */
export async function getSessionPersistence(options: OpenSessionStoreOptions = {}): Promise<SessionStore> {
  const path = resolveDbPath(options);
  let store = defaultStores.get(path);
  if (!store) {
    store = SessionStore.open({ ...options, dbPath: path });
    defaultStores.set(path, store);
  }
  return store;
}

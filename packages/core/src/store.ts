import { contextAfterUndo, nextEpochNumber, recordUndo, undoTarget } from "./domain/context-history.js";
import { DamagedSessionError, InvalidSessionDataError, InvalidSessionIdError, SessionConflictError, SessionNotFoundError, SessionNotWritableError } from "./domain/errors.js";
import { resolveFromCandidates } from "./domain/id-resolution.js";
import { assertValidSessionId, isValidSessionId } from "./domain/ids.js";
import { ImportSimulation } from "./domain/import-simulation.js";
import { decodeMessage } from "./domain/message-codec.js";
import { KnownBases } from "./domain/save-base.js";
import { searchTitle } from "./domain/save-plan.js";
import { buildEnvelope, toSummary } from "./domain/session-data.js";
import { buildSessionTree } from "./domain/session-tree.js";
import { SnapshotCache } from "./domain/snapshot-cache.js";
import { isoNow } from "./domain/time.js";
import type {
  ImportItem,
  ImportItemResult,
  ImportOptions,
  LedgerEntry,
  ListSessionsOptions,
  LoadSessionOptions,
  SaveSessionInput,
  SaveSessionResult,
  SearchResult,
  SearchSessionsOptions,
  Session,
  SessionSummary,
  SessionTree,
  StoreStats,
  UndoPreview,
  UndoResult,
} from "./domain/types.js";
import type { Engine, EngineKind, EngineTransaction } from "./engine/engine.js";
import { importInTransaction, transactionState } from "./import-sessions.js";
import { readContext } from "./read-context.js";
import { saveInTransaction, type SaveContext } from "./save-session.js";
import { headToChange } from "./write-heads.js";

const DEFAULT_LIST_LIMIT = 10;
const DEFAULT_SEARCH_LIMIT = 10;
/** Most ids an id resolution reads: enough to list the candidates of an ambiguous prefix. */
const PREFIX_CANDIDATES = 50;

/** The session an id or unique prefix names (rules: resolveFromCandidates); typed errors otherwise. */
async function resolveId(tx: EngineTransaction, idOrPrefix: string): Promise<string> {
  if (typeof idOrPrefix !== "string" || !isValidSessionId(idOrPrefix)) throw new InvalidSessionIdError(String(idOrPrefix));
  return resolveFromCandidates(idOrPrefix, await tx.idsWithPrefix(idOrPrefix, PREFIX_CANDIDATES + 1));
}

/** The import ledger of victor-migrate and victor import: which source went where, so re-runs skip it. */
export class ImportLedger {
  constructor(private readonly engine: Engine) {}

  async get(sourcePath: string): Promise<LedgerEntry | null> {
    return this.engine.read(async (tx) => tx.ledgerEntry(sourcePath));
  }

  async list(): Promise<LedgerEntry[]> {
    return this.engine.read(async (tx) => tx.listLedger());
  }

  /** Records sources that could not be imported; an earlier import's session stays linked to its source. */
  async recordFailures(entries: readonly LedgerEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.engine.write(async (tx) => {
      for (const entry of entries) await tx.recordLedgerFailure(entry);
    });
  }
}

/**
 * The session store: the public API (DESIGN §4) over one engine — an SQLite file or a PostgreSQL
 * server (see open.ts), with the same behaviour on both. Every write is one transaction (a killed
 * process leaves the old or the new session, never a mix). Saves are safe by default: a save based
 * on a revision (and incarnation) of a session that has moved since this store loaded or saved it
 * is a SessionConflictError unless it says `force`.
 */
export class SessionStore {
  private readonly snapshots = new SnapshotCache();
  private readonly known = new KnownBases();
  private closed = false;
  /** The import ledger (victor-migrate, victor import). */
  readonly ledger: ImportLedger;

  /** @internal Use openSessionStore. */
  constructor(
    private readonly engine: Engine,
    private readonly onClose: () => void = () => {},
  ) {
    this.ledger = new ImportLedger(engine);
  }

  /** The database file, or the server's URL without its password. */
  get dbPath(): string {
    return this.engine.location;
  }

  /** How another store's sync ledger names this one (see Engine.identity; never a password). */
  get syncIdentity(): string {
    return this.engine.identity;
  }

  /** Which engine holds the sessions. */
  get engineKind(): EngineKind {
    return this.engine.kind;
  }

  get readonly(): boolean {
    return this.engine.readonly;
  }

  private context(tx: EngineTransaction): SaveContext {
    return { tx, snapshots: this.snapshots, known: this.known };
  }

  async saveSession(input: SaveSessionInput): Promise<SaveSessionResult> {
    const outcome = await this.engine.write((tx) => saveInTransaction(this.context(tx), input));
    const id = outcome.result.sessionId;
    this.known.set(id, outcome.base);
    if (outcome.snapshot) this.snapshots.set(id, outcome.snapshot);
    else this.snapshots.delete(id);
    return outcome.result;
  }

  /** The full id for an id or a unique prefix of one (an exact id always wins). */
  async resolveSessionId(idOrPrefix: string): Promise<string> {
    return this.engine.read((tx) => resolveId(tx, idOrPrefix));
  }

  /** Whether a session with exactly this id exists. */
  async hasSession(id: string): Promise<boolean> {
    assertValidSessionId(id);
    return this.engine.read(async (tx) => tx.sessionExists(id));
  }

  /** Ids starting with `prefix` (for completion and `clear PREFIX` previews). */
  async findSessionIds(prefix: string, limit = 1000): Promise<string[]> {
    if (!isValidSessionId(prefix)) throw new InvalidSessionIdError(prefix);
    return this.engine.read(async (tx) => tx.idsWithPrefix(prefix, limit));
  }

  /**
   * The session for an id or unique prefix; null when none matches. Ambiguous prefixes throw.
   * `conversation.messages` is the model's context; `{ all: true }` adds everything else the
   * session holds (compacted, rewound, replaced messages) as `context_history`.
   */
  async loadSession(idOrPrefix: string, options: LoadSessionOptions = {}): Promise<Session | null> {
    return this.engine.read(async (tx) => {
      let id: string;
      try {
        id = await resolveId(tx, idOrPrefix);
      } catch (error) {
        if (error instanceof SessionNotFoundError) return null;
        throw error;
      }
      return this.readSession(tx, id, options.all === true);
    });
  }

  /** Like loadSession, but a missing session is a SessionNotFoundError. */
  async getSession(idOrPrefix: string, options: LoadSessionOptions = {}): Promise<Session> {
    const session = await this.loadSession(idOrPrefix, options);
    if (!session) throw new SessionNotFoundError(idOrPrefix);
    return session;
  }

  /** Inside one read transaction, so the session row and its messages are of the same revision. */
  private async readSession(tx: EngineTransaction, id: string, all = false): Promise<Session | null> {
    try {
      const row = await tx.sessionRow(id);
      if (!row) return null;
      const { messages, positions, last, history } = await readContext(tx, row, all);
      const base = { revision: row.revision, incarnation: row.incarnation };
      this.snapshots.set(id, { ...base, messages: messages.slice(), positions, last });
      this.known.set(id, base);
      return buildEnvelope(row, messages, history);
    } catch (error) {
      if (error instanceof SyntaxError) throw new DamagedSessionError(id, this.engine.location, error.message, { cause: error });
      throw error;
    }
  }

  /** Newest first (by last update) unless `orderBy` says otherwise. */
  async listSessions(options: ListSessionsOptions = {}): Promise<SessionSummary[]> {
    const limit = options.limit ?? DEFAULT_LIST_LIMIT;
    const query = { orderBy: options.orderBy ?? "updated", limit, offset: options.offset ?? 0, allProjects: options.allProjects === true } as const;
    return (await this.engine.read(async (tx) => tx.listSessions(query))).map(toSummary);
  }

  async getSummary(idOrPrefix: string): Promise<SessionSummary> {
    return this.engine.read(async (tx) => toSummary((await tx.summary(await resolveId(tx, idOrPrefix)))!));
  }

  async countSessions(): Promise<number> {
    return this.engine.read(async (tx) => tx.countSessions());
  }

  /** Totals for a status view, computed by the database (no session is read). */
  async stats(): Promise<StoreStats> {
    return this.engine.read(async (tx) => tx.stats());
  }

  /** Full-text search over titles and message content; see domain/search-plan.ts for the rules. */
  async searchSessions(query: string, options: SearchSessionsOptions = {}): Promise<SearchResult[]> {
    return this.engine.read(async (tx) => tx.search(String(query ?? ""), options.limit ?? DEFAULT_SEARCH_LIMIT, { allProjects: options.allProjects === true }));
  }

  /** Deletes one session (exact id) and its messages; false if there was none. */
  async deleteSession(id: string): Promise<boolean> {
    assertValidSessionId(id);
    const deleted = await this.engine.write(async (tx) => {
      if (await tx.deleteSession(id)) return true;
      // Not deleted: absent, or (on a server) a teammate's shared session — said so, not "not found".
      if (await tx.sessionExists(id)) throw new SessionNotWritableError(id);
      return false;
    });
    this.forget((known) => known === id);
    return deleted;
  }

  /**
   * Deletes every session whose id starts with `prefix`, all with `{ all: true }`, or exactly the
   * listed `ids` (what a confirmation showed: a session saved meanwhile is kept); returns how many.
   */
  async deleteSessions(selector: { prefix: string } | { all: true } | { ids: readonly string[] }): Promise<number> {
    if ("ids" in selector) for (const id of selector.ids) assertValidSessionId(id);
    if ("prefix" in selector) assertValidSessionId(selector.prefix);
    const deleted = await this.engine.write(async (tx) => {
      if ("all" in selector) return tx.deleteAllSessions();
      if ("prefix" in selector) return tx.deleteSessionsWithPrefix(selector.prefix);
      let n = 0;
      for (const id of selector.ids) if (await tx.deleteSession(id)) n++;
      return n;
    });
    if ("all" in selector) this.forget(() => true);
    else if ("prefix" in selector) this.forget((id) => id.startsWith(selector.prefix));
    else this.forget((id) => selector.ids.includes(id));
    return deleted;
  }

  /** Our own delete: the session's next save creates it again, it does not conflict. */
  private forget(matches: (id: string) => boolean): void {
    this.known.forgetWhere(matches);
    this.snapshots.clear();
  }

  /** Sets a user title (kept on later saves); returns the new revision. */
  async renameSession(idOrPrefix: string, title: string): Promise<{ sessionId: string; revision: number }> {
    const clean = String(title ?? "").replace(/\s+/g, " ").trim();
    if (clean === "") throw new InvalidSessionDataError("A title cannot be empty.");
    const renamed = await this.engine.write(async (tx) => {
      const id = await resolveId(tx, idOrPrefix);
      const head = (await headToChange(tx, id))!;
      await tx.updateTitle(id, { name: clean, search_title: searchTitle(clean), data: JSON.stringify({ ...head.data, title_is_custom: true }), updated_at: isoNow() });
      return { id, from: { revision: head.revision, incarnation: head.incarnation } };
    });
    const revision = renamed.from.revision + 1;
    // Our own write: a base this store had of that very state follows it (the snapshot's messages did not change).
    this.known.advance(renamed.id, renamed.from, { revision, incarnation: renamed.from.incarnation });
    const snapshot = this.snapshots.get(renamed.id);
    if (snapshot && snapshot.revision === renamed.from.revision && snapshot.incarnation === renamed.from.incarnation) this.snapshots.set(renamed.id, { ...snapshot, revision });
    return { sessionId: renamed.id, revision };
  }

  /**
   * A copy of a session under a new id, remembering where it came from (parent_id, fork_point):
   * its whole context, or the first `at` messages of it (1 = the first; as `show` counts them).
   */
  async forkSession(idOrPrefix: string, options: { title?: string; at?: number } = {}): Promise<SaveSessionResult> {
    const source = await this.getSession(idOrPrefix);
    const { metadata, conversation, conversation_state, tool_selection_stats, ...extra } = source;
    const count = conversation.messages.length;
    const at = options.at ?? count;
    if (options.at !== undefined && (!Number.isInteger(at) || at < 1 || at > count)) {
      throw new InvalidSessionDataError(
        count === 0 ? `Session ${metadata.session_id} has no messages to fork from.` : `Session ${metadata.session_id} has ${count} messages: fork at a message from 1 to ${count}.`,
      );
    }
    return this.saveSession({
      conversation: { ...conversation, messages: conversation.messages.slice(0, at) },
      model: metadata.model,
      provider: metadata.provider,
      profile: metadata.profile,
      title: options.title ?? (metadata.title_is_custom ? `${metadata.title} (fork)` : undefined),
      tags: metadata.tags,
      conversationState: conversation_state,
      toolSelectionStats: tool_selection_stats,
      parentId: metadata.session_id,
      forkPoint: at,
      extra,
    });
  }

  /**
   * Undoes the latest change of a session's context (a compaction, rewind, replacement): the
   * messages it took out come back, the ones it appended (a summary, copies) leave; messages saved
   * after it stay, after the restored ones. Nothing is deleted. NothingToUndoError when there is
   * nothing to undo; `expectedRevision` guards against a concurrent save.
   */
  async undoContextChange(idOrPrefix: string, options: { expectedRevision?: number } = {}): Promise<UndoResult> {
    const outcome = await this.engine.write(async (tx) => {
      const id = await resolveId(tx, idOrPrefix);
      const head = (await headToChange(tx, id))!;
      if (options.expectedRevision !== undefined && head.revision !== options.expectedRevision) throw new SessionConflictError(id, options.expectedRevision, head.revision);
      const epochs = head.data.epochs ?? [];
      const target = undoTarget(id, epochs);
      const undoEpoch = nextEpochNumber(epochs);
      const at = isoNow();
      const counts = await tx.restoreEpoch(id, target.epoch, target.appended, undoEpoch);
      const after = recordUndo(epochs, target, undoEpoch, at, counts);
      const messageCount = head.message_count + counts.restored - counts.retracted;
      await tx.updateContext(id, { data: JSON.stringify({ ...head.data, epochs: after }), message_count: messageCount, updated_at: at });
      return { id, from: { revision: head.revision, incarnation: head.incarnation }, undone: after.find((e) => e.epoch === target.epoch)!, counts, messageCount };
    });
    const revision = outcome.from.revision + 1;
    this.known.advance(outcome.id, outcome.from, { revision, incarnation: outcome.from.incarnation });
    this.snapshots.delete(outcome.id);
    return { sessionId: outcome.id, revision, undone: outcome.undone, ...outcome.counts, messageCount: outcome.messageCount };
  }

  /** The context an undo of the session's latest change would give (see undoContextChange), without writing. */
  async previewUndo(idOrPrefix: string): Promise<UndoPreview> {
    return this.engine.read(async (tx) => {
      const id = await resolveId(tx, idOrPrefix);
      const head = (await tx.head(id))!;
      const change = undoTarget(id, head.data.epochs ?? []);
      const rows = contextAfterUndo(await tx.allRows(id), change);
      return { change, messages: rows.map(decodeMessage), revision: head.revision };
    });
  }

  /**
   * Sessions with their forks, as trees: the one holding `idOrPrefix` (from its topmost ancestor
   * that still exists), or the `limit` most recently updated trees. Forks of a deleted session are
   * roots of their own, and the parent they name is listed as missing.
   */
  async sessionTree(idOrPrefix?: string, options: { limit?: number } = {}): Promise<SessionTree> {
    return this.engine.read(async (tx) => {
      const summaries = (await tx.listSessions({ orderBy: "updated", limit: -1, offset: 0 })).map(toSummary);
      const focus = idOrPrefix === undefined ? undefined : await resolveId(tx, idOrPrefix);
      return buildSessionTree(summaries, {
        focus,
        limit: options.limit ?? DEFAULT_LIST_LIMIT,
        details: async (ids) => tx.historyDetails(ids),
      });
    });
  }

  /** Every session, oldest first, one at a time: memory stays flat however many there are. */
  async *exportSessions(): AsyncGenerator<Session> {
    const ids = await this.engine.read(async (tx) => tx.exportIds());
    for (const id of ids) {
      // Everything the session holds: an export is restored by an import exactly, history included.
      const session = await this.engine.read((tx) => this.readSession(tx, id, true));
      if (session) yield session;
    }
  }

  /**
   * Imports many sessions in one transaction (fast, and all-or-nothing), applying each item's
   * conflict policy and recording its ledger entry in the same transaction. Batch rules (newest
   * copy of an id wins, ids mapped for the whole batch, parents remapped): domain/import-batch.ts.
   */
  async importSessions(items: readonly ImportItem[], options: ImportOptions = {}): Promise<ImportItemResult[]> {
    const outcome = await this.engine.write((tx) => importInTransaction(this.context(tx), items, options), { exclusive: true });
    for (const { sessionId, snapshot } of outcome.snapshots) {
      if (snapshot) this.snapshots.set(sessionId, snapshot);
      else this.snapshots.delete(sessionId);
    }
    return outcome.results;
  }

  /**
   * What importing would do, by the same rules as importSessions, over this store as it is (read
   * only). Keep the simulation for a whole run: later items see the earlier ones.
   */
  simulateImports(): ImportSimulation {
    const read = <T>(fn: (tx: EngineTransaction) => Promise<T>) => this.engine.read(fn);
    return new ImportSimulation({
      ledger: (key) => read(async (tx) => transactionState(tx).ledger(key)),
      head: (id) => read((tx) => transactionState(tx).head(id)),
      startsWith: (id, messages) => read((tx) => transactionState(tx).startsWith(id, messages)),
      freeId: (base) => read((tx) => transactionState(tx).freeId(base)),
    });
  }

  /**
   * Makes saved sessions durable in the database file itself: SQLite folds its write-ahead log in
   * (a process that keeps the store open for long — a chat — calls it after its saves, so a `cp`
   * of the file is complete); nothing to do on PostgreSQL.
   */
  async checkpoint(): Promise<void> {
    await this.engine.checkpoint();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    this.snapshots.clear();
    await this.engine.close();
  }
}

/** @internal The engine behind a store (maintenance modules of that engine use it). */
export function engineOf(store: SessionStore): Engine {
  return (store as unknown as { engine: Engine }).engine;
}

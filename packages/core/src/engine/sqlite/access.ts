import { asc, count, desc, eq, getTableColumns, sql } from "drizzle-orm";
import type Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { prefixUpperBound } from "../../domain/id-resolution.js";
import { HEAD_COLUMNS, MESSAGE_ROW_COLUMNS, pickColumns } from "../../domain/columns.js";
import { suffixedSessionId } from "../../domain/ids.js";
import { ledgerFromRow, ledgerToRow } from "../../domain/ledger-row.js";
import type { ContextRow, StoredRow } from "../../domain/context-history.js";
import type { MessageColumns } from "../../domain/message-codec.js";
import { chooseCandidates, searchSessions, SEARCH_CANDIDATE_LIMIT, type ContentMatch, type SearchSource } from "../../domain/search-plan.js";
import type { SearchTerm } from "../../domain/search-terms.js";
import type { SessionDataColumn, SummaryRow } from "../../domain/session-data.js";
import { syncEntryFromRow, syncEntryToRow, type SyncEntry, type SyncEntryFilter, type SyncHead, type SyncLedgerRow } from "../../domain/sync-entry.js";
import { retitledExactText, toStorableSessionText, withExactText, type ExactText } from "../../domain/storable-text.js";
import type { ContextEpoch, LedgerEntry, SearchResult, SessionOrder, StoreStats } from "../../domain/types.js";
import { UnsupportedOnEngineError } from "../../domain/errors.js";
import { failedSourceUpdate } from "../ledger-update.js";
import type { ContextWrite, EngineTransaction, FingerprintRequest, MessageWrite, SessionInsert, SessionRow, SessionWrite, StoredHead, TitleWrite } from "../engine.js";
import type { Connection } from "./connection.js";
import { toFtsQuery } from "./fts-query.js";
import { SUMMARY_SELECT, toSummaryRow, type SummarySqlRow } from "./summary-query.js";
import type { HistoryDetails } from "../../domain/session-tree.js";
import { legacyImports, messages, sessions } from "./schema.js";

const p = sql.placeholder;

/** The page of a list statement (LIMIT -1: every row). */
interface ListPage {
  limit: number;
  offset: number;
}

/** A message as the codec reads it back (see message-codec.ts). */
const messageRowColumns = pickColumns(messages, MESSAGE_ROW_COLUMNS);

// One past the highest position, off the (session_id, position) index: where a save appends. Spelt
// out: drizzle leaves column names unqualified in a one-table select, and "id" would be messages.id here.
const NEXT_POSITION = `(SELECT coalesce(max(m.position) + 1, 0) FROM messages m WHERE m.session_id = sessions.id)`;
const nextPosition = sql<number>`${sql.raw(NEXT_POSITION)}`.as("next_position");

/** A head as SQLite returns it: the JSON columns still text. */
type HeadRow = Omit<StoredHead, "data"> & { data: string; exact_text: string | null };

const parseExactText = (text: string | null): ExactText | null => (text === null ? null : (JSON.parse(text) as ExactText));

/** A session row's columns as SQLite stores them: free text made storable, its exact value aside (JSON text, or null). */
function storable<T extends SessionWrite>(row: T): { columns: T; exactText: string | null } {
  const { columns, exact } = toStorableSessionText(row);
  return { columns, exactText: exact === null ? null : JSON.stringify(exact) };
}

/**
 * Every SQL statement of the SQLite engine, prepared once per connection: typed drizzle where it
 * can express the statement, plain SQL for FTS5 and for the statements of every save and import
 * (drizzle's placeholder mapping per call cost ~8% of a bulk import, and its update() takes no
 * placeholders). Prepared on first use: a database opened read-only before a migration lacks the
 * newer tables (preview_fts) until a writer migrates it.
 */
function prepare({ db, sqlite }: Connection) {
  const lazy = <T>(make: () => T): (() => T) => {
    let made: T | undefined;
    return () => (made ??= make());
  };
  return {
    // Plain SQL: read by every save and every imported item (drizzle's row mapping was ~4% of a re-save).
    head: sqlite.prepare(`SELECT ${HEAD_COLUMNS.join(", ")}, ${NEXT_POSITION} AS next_position FROM sessions WHERE id = ?`) as Database.Statement<[string], HeadRow>,
    exists: sqlite.prepare(`SELECT 1 FROM sessions WHERE id = ?`).pluck() as Database.Statement<[string], number>,
    historyDetails: lazy(
      () =>
        sqlite.prepare(
          `SELECT id, json_extract(data, '$.epochs') AS epochs,
             (SELECT count(context_epoch) FROM messages WHERE session_id = sessions.id) AS out_of_context
           FROM sessions WHERE id IN (SELECT value FROM json_each(?))`,
        ) as Database.Statement<[string], { id: string; epochs: string | null; out_of_context: number }>,
    ),
    /** Ids in [from, to): the ids with a given prefix. */
    idsInRange: sqlite.prepare(`SELECT id FROM sessions WHERE id >= ? AND id < ? ORDER BY id LIMIT ?`).pluck() as Database.Statement<[string, string, number], string>,
    sessionRow: db
      .select({ ...getTableColumns(sessions), next_position: nextPosition })
      .from(sessions)
      .where(eq(sessions.id, p("id")))
      .prepare(),
    // Plain SQL: the read of every load (drizzle's builder takes no LIMIT -1, "no limit"). Only
    // the columns a load needs, as arrays (ContextRow): one more column per row (carried_from) cost
    // a 10,000-message load ~20%, an object per row more than the rest of the load together.
    contextRows: sqlite
      .prepare(
        `SELECT role, content, name, tool_calls, tool_call_id, extra, position FROM messages
         WHERE session_id = ? AND context_epoch IS NULL ORDER BY position LIMIT ? OFFSET ?`,
      )
      .raw() as Database.Statement<[string, number, number], ContextRow>,
    contextColumns: sqlite
      .prepare(
        `SELECT role, content, name, tool_calls, tool_call_id, extra FROM messages
         WHERE session_id = ? AND context_epoch IS NULL ORDER BY position LIMIT -1 OFFSET ?`,
      )
      .raw() as Database.Statement<[string, number], MessageColumns>,
    allRows: db
      .select({ ...messageRowColumns, position: messages.position, context_epoch: messages.context_epoch, carried_from: messages.carried_from })
      .from(messages)
      .where(eq(messages.session_id, p("id")))
      .orderBy(asc(messages.position))
      .prepare(),
    markOutOfContext: sqlite.prepare(`UPDATE messages SET context_epoch = ? WHERE session_id = ? AND position >= ? AND context_epoch IS NULL`) as Database.Statement<[number, string, number]>,
    restore: sqlite.prepare(`UPDATE messages SET context_epoch = NULL WHERE session_id = ? AND context_epoch = ?`) as Database.Statement<[string, number]>,
    retract: sqlite.prepare(`UPDATE messages SET context_epoch = ? WHERE session_id = ? AND position >= ? AND position < ? AND context_epoch IS NULL`) as Database.Statement<
      [number, string, number, number]
    >,
    setMark: sqlite.prepare(`UPDATE messages SET context_epoch = ? WHERE session_id = ? AND position = ?`) as Database.Statement<[number | null, string, number]>,
    // Positional parameters in the statements of every save and import: better-sqlite3 looks a
    // named one up in the object per parameter, which cost a bulk import ~10%.
    insertMessage: sqlite.prepare(
      `INSERT INTO messages (session_id, position, role, content, name, tool_calls, tool_call_id, extra, created_at, context_epoch, carried_from)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ) as Database.Statement<[string, number, string, string | null, string | null, string | null, string | null, string | null, string, number | null, number | null]>,
    /** Every message id above this one is new in the current transaction (AUTOINCREMENT ids only grow). */
    lastMessageId: sqlite.prepare(`SELECT max(id) FROM messages`).pluck() as Database.Statement<[], number | null>,
    /**
     * Adds the messages written in this transaction (ids above the given one) to the full-text
     * index in one statement; see migration 0002 for why this is not a per-row trigger.
     */
    indexMessagesAfter: sqlite.prepare(`INSERT INTO messages_fts(rowid, content) SELECT id, content FROM messages WHERE id > ? AND content IS NOT NULL`) as Database.Statement<[number]>,
    insertSession: sqlite.prepare(
      `INSERT INTO sessions (id, name, search_title, provider, model, profile, data, created_at, updated_at, message_count, revision, parent_id, fork_point, incarnation, exact_text)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    ) as Database.Statement<
      [string, string, string, string, string, string, string, string, string, number, number, string | null, number | null, string, string | null]
    >,
    updateSession: sqlite.prepare(
      `UPDATE sessions SET name = ?, search_title = ?, provider = ?, model = ?, profile = ?, data = ?, created_at = ?, updated_at = ?, message_count = ?,
         revision = revision + 1, parent_id = coalesce(?, parent_id), fork_point = coalesce(?, fork_point), exact_text = ?
       WHERE id = ?`,
    ) as Database.Statement<[string, string, string, string, string, string, string, string, number, string | null, number | null, string | null, string]>,
    updateContext: sqlite.prepare(`UPDATE sessions SET data = @data, message_count = @message_count, updated_at = @updated_at, revision = revision + 1 WHERE id = @id`) as Database.Statement<
      [ContextWrite & { id: string }]
    >,
    updateTitle: sqlite.prepare(
      `UPDATE sessions SET name = @name, search_title = @search_title, data = @data, updated_at = @updated_at, revision = revision + 1, exact_text = @exact_text WHERE id = @id`,
    ) as Database.Statement<[TitleWrite & { id: string; exact_text: string | null }]>,
    listByUpdated: sqlite.prepare(`${SUMMARY_SELECT} ORDER BY updated_at DESC, id DESC LIMIT @limit OFFSET @offset`) as Database.Statement<[ListPage], SummarySqlRow>,
    listByCreated: sqlite.prepare(`${SUMMARY_SELECT} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset`) as Database.Statement<[ListPage], SummarySqlRow>,
    listByTitle: sqlite.prepare(`${SUMMARY_SELECT} ORDER BY name ASC, updated_at DESC LIMIT @limit OFFSET @offset`) as Database.Statement<[ListPage], SummarySqlRow>,
    summary: sqlite.prepare(`${SUMMARY_SELECT} WHERE id = ?`) as Database.Statement<[string], SummarySqlRow>,
    deleteSession: db.delete(sessions).where(eq(sessions.id, p("id"))).prepare(),
    // SELECT *: a database opened read-only may predate the ledger's newer columns (not migrated yet).
    ledgerGet: sqlite.prepare(`SELECT * FROM legacy_imports WHERE source_path = ?`) as Database.Statement<[string], typeof legacyImports.$inferSelect>,
    ledgerAll: sqlite.prepare(`SELECT * FROM legacy_imports ORDER BY source_path`) as Database.Statement<[], typeof legacyImports.$inferSelect>,
    // Plain SQL, prepared once: building the drizzle upsert for every imported file cost a bulk import ~25%.
    ledgerUpsert: lazy(
      () =>
        sqlite.prepare(
          `INSERT INTO legacy_imports (source_path, size, sha256, session_id, outcome, reason, imported_at, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (source_path) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256, session_id = excluded.session_id, outcome = excluded.outcome,
             reason = excluded.reason, imported_at = excluded.imported_at, revision = excluded.revision`,
        ) as Database.Statement<[string, number, string, string | null, string, string | null, string, number | null]>,
    ),
    search: lazy(() => ({
      newest: sqlite.prepare(`SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid DESC LIMIT ?`).pluck() as Database.Statement<[string, number], number>,
      ranked: sqlite.prepare(`SELECT rowid AS id, bm25(messages_fts) AS score FROM messages_fts WHERE messages_fts MATCH ?`) as Database.Statement<[string], { id: number; score: number }>,
      locate: sqlite.prepare(`SELECT m.id, m.session_id, m.position FROM json_each(?) AS j JOIN messages m ON m.id = j.value`) as Database.Statement<
        [string],
        { id: number; session_id: string; position: number }
      >,
      titles: sqlite.prepare(`SELECT id FROM sessions WHERE search_title LIKE ? ESCAPE '\\' ORDER BY updated_at DESC LIMIT ?`).pluck() as Database.Statement<[string, number], string>,
      summaries: sqlite.prepare(`${SUMMARY_SELECT} WHERE id IN (SELECT value FROM json_each(?))`) as Database.Statement<[string], SummarySqlRow>,
      contents: sqlite.prepare(`SELECT id, content, context_epoch FROM messages WHERE id IN (SELECT value FROM json_each(?))`) as Database.Statement<
        [string],
        { id: number; content: string | null; context_epoch: number | null }
      >,
      // A database opened read-only before migration 0005 has no preview index: no preview matches.
      previews: sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'preview_fts'`).get()
        ? (sqlite.prepare(`SELECT session_id, content FROM preview_fts WHERE preview_fts MATCH ? ORDER BY bm25(preview_fts) LIMIT ?`) as Database.Statement<
            [string, number],
            { session_id: string; content: string }
          >)
        : null,
    })),
    previews: lazy(() => ({
      remove: sqlite.prepare(`DELETE FROM preview_fts WHERE session_id = ?`) as Database.Statement<[string]>,
      insert: sqlite.prepare(`INSERT INTO preview_fts(session_id, content) VALUES (?, ?)`) as Database.Statement<[string, string]>,
    })),
    sync: lazy(() => ({
      heads: sqlite.prepare(
        `SELECT id, revision, incarnation, message_count, updated_at, created_at, parent_id FROM sessions
         WHERE ? IS NULL OR id IN (SELECT value FROM json_each(?)) ORDER BY created_at, id`,
      ) as Database.Statement<[string | null, string | null], Omit<SyncHead, "writable" | "shared" | "owner">>,
      // The first N messages of the context, every column (SELECT *): whatever a later release adds to a message is part of it too.
      messageRows: sqlite.prepare(`SELECT * FROM messages WHERE session_id = ? AND context_epoch IS NULL ORDER BY position LIMIT ?`).raw() as Database.Statement<[string, number], unknown[]>,
      entries: sqlite.prepare(
        `SELECT * FROM sync_ledger WHERE remote = ?
           AND ((? IS NULL AND ? IS NULL) OR session_id IN (SELECT value FROM json_each(?)) OR remote_session_id IN (SELECT value FROM json_each(?)))
         ORDER BY session_id`,
      ) as Database.Statement<[string, string | null, string | null, string, string], SyncLedgerRow>,
      upsert: sqlite.prepare(
        `INSERT INTO sync_ledger (remote, session_id, remote_session_id, local_revision, local_incarnation, local_fingerprint, remote_revision, remote_incarnation,
           remote_fingerprint, message_count, messages_hash, content_hash, direction, synced_at)
         VALUES (@remote, @session_id, @remote_session_id, @local_revision, @local_incarnation, @local_fingerprint, @remote_revision, @remote_incarnation,
           @remote_fingerprint, @message_count, @messages_hash, @content_hash, @direction, @synced_at)
         ON CONFLICT (remote, session_id) DO UPDATE SET remote_session_id = excluded.remote_session_id, local_revision = excluded.local_revision,
           local_incarnation = excluded.local_incarnation, local_fingerprint = excluded.local_fingerprint, remote_revision = excluded.remote_revision,
           remote_incarnation = excluded.remote_incarnation, remote_fingerprint = excluded.remote_fingerprint, message_count = excluded.message_count,
           messages_hash = excluded.messages_hash, content_hash = excluded.content_hash, direction = excluded.direction, synced_at = excluded.synced_at`,
      ) as Database.Statement<[SyncLedgerRow]>,
    })),
  };
}

type Statements = ReturnType<typeof prepare>;

/**
 * The SQLite engine's primitives (see EngineTransaction), synchronous as better-sqlite3 is; the
 * engine (engine.ts) runs them inside its transactions. New messages are added to the full-text
 * index once per transaction (flushIndex, before COMMIT): one statement for a whole import batch.
 */
export class SqliteAccess implements EngineTransaction {
  private readonly statements: Statements;
  /** The highest message id before this transaction's first insert; null = nothing to index. */
  private indexFrom: number | null = null;

  constructor(private readonly conn: Connection) {
    this.statements = prepare(conn);
  }

  /** Indexes the messages this transaction wrote (call before COMMIT, and before deleting any). */
  flushIndex(): void {
    if (this.indexFrom === null) return;
    this.statements.indexMessagesAfter.run(this.indexFrom);
    this.indexFrom = null;
  }

  /** A rolled back transaction has nothing left to index. */
  discardIndex(): void {
    this.indexFrom = null;
  }

  head(id: string): StoredHead | null {
    const row = this.statements.head.get(id);
    if (!row) return null;
    const { exact_text, data, ...head } = row;
    return withExactText({ ...head, data: JSON.parse(data) as SessionDataColumn }, parseExactText(exact_text));
  }

  sessionExists(id: string): boolean {
    return this.statements.exists.get(id) !== undefined;
  }

  idsWithPrefix(prefix: string, limit: number): string[] {
    return this.statements.idsInRange.all(prefix, prefixUpperBound(prefix), limit);
  }

  insertSession(row: SessionInsert): boolean {
    const { columns: c, exactText } = storable(row);
    const args = [c.id, c.name, c.search_title, c.provider, c.model, c.profile, c.data, c.created_at, c.updated_at, c.message_count, c.revision, c.parent_id, c.fork_point, c.incarnation, exactText] as const;
    return this.statements.insertSession.run(...args).changes > 0;
  }

  /** Under the write lock (BEGIN IMMEDIATE) nobody else can take an id between the check and the insert. */
  insertSessionWithFreshId(base: string, row: Omit<SessionInsert, "id">, reserved?: ReadonlySet<string>): string {
    for (let attempt = 1; ; attempt++) {
      const id = suffixedSessionId(base, attempt);
      if (reserved?.has(id)) continue;
      if (this.insertSession({ ...row, id })) return id;
    }
  }

  updateSession(id: string, row: SessionWrite): void {
    const { columns: c, exactText } = storable(row);
    this.statements.updateSession.run(c.name, c.search_title, c.provider, c.model, c.profile, c.data, c.created_at, c.updated_at, c.message_count, c.parent_id, c.fork_point, exactText, id);
  }

  updateTitle(id: string, title: TitleWrite): void {
    const current = this.statements.head.get(id);
    if (!current) return;
    const { columns, exact } = toStorableSessionText({ name: title.name, search_title: title.search_title });
    const merged = retitledExactText(parseExactText(current.exact_text), exact);
    this.statements.updateTitle.run({ ...title, ...columns, id, exact_text: merged === null ? null : JSON.stringify(merged) });
  }

  updateContext(id: string, row: ContextWrite): void {
    this.statements.updateContext.run({ ...row, id });
  }

  contextRows(id: string, fromIndex: number, limit = -1): ContextRow[] {
    return this.statements.contextRows.all(id, limit, fromIndex);
  }

  contextColumns(id: string, fromIndex: number): MessageColumns[] {
    return this.statements.contextColumns.all(id, fromIndex);
  }

  allRows(id: string): StoredRow[] {
    return this.statements.allRows.all({ id });
  }

  markOutOfContext(id: string, fromPosition: number, epoch: number): number {
    return this.statements.markOutOfContext.run(epoch, id, fromPosition).changes;
  }

  restoreEpoch(id: string, epoch: number, appended: readonly [number, number], undoEpoch: number): { restored: number; retracted: number } {
    const retracted = this.statements.retract.run(undoEpoch, id, appended[0], appended[1]).changes;
    const restored = this.statements.restore.run(id, epoch).changes;
    return { restored, retracted };
  }

  setContextMarks(id: string, marks: readonly { position: number; context_epoch: number | null }[]): void {
    for (const mark of marks) this.statements.setMark.run(mark.context_epoch, id, mark.position);
  }

  historyDetails(ids: readonly string[]): Map<string, HistoryDetails> {
    const rows = this.statements.historyDetails().all(JSON.stringify(ids));
    return new Map(rows.map((r) => [r.id, { outOfContext: r.out_of_context, epochs: r.epochs === null ? [] : (JSON.parse(r.epochs) as ContextEpoch[]) }]));
  }

  insertMessages(rows: readonly MessageWrite[]): void {
    if (rows.length === 0) return;
    this.indexFrom ??= this.statements.lastMessageId.get() ?? 0;
    const { insertMessage } = this.statements;
    for (const r of rows) {
      insertMessage.run(r.session_id, r.position, r.role, r.content, r.name, r.tool_calls, r.tool_call_id, r.extra, r.created_at, r.context_epoch, r.carried_from);
    }
  }

  updatePreviewText(id: string, before: string, after: string, created: boolean): void {
    if (before === after && !created) return;
    if (before === "" && after === "") return;
    const { remove, insert } = this.statements.previews();
    if (!created) remove.run(id);
    if (after !== "") insert.run(id, after);
  }

  sessionRow(id: string): SessionRow | null {
    const row = this.statements.sessionRow.get({ id });
    if (!row) return null;
    const { exact_text, search_title: _searchTitle, ...rest } = row;
    return withExactText(rest, exact_text);
  }

  /** A file holds one project's sessions: `allProjects` changes nothing here. */
  listSessions(options: { orderBy: SessionOrder; limit: number; offset: number; allProjects?: boolean }): SummaryRow[] {
    const { listByCreated, listByTitle, listByUpdated } = this.statements;
    const statement = options.orderBy === "created" ? listByCreated : options.orderBy === "title" ? listByTitle : listByUpdated;
    return statement.all({ limit: options.limit < 0 ? -1 : options.limit, offset: options.offset }).map(toSummaryRow);
  }

  summary(id: string): SummaryRow | null {
    const row = this.statements.summary.get(id);
    return row ? toSummaryRow(row) : null;
  }

  countSessions(): number {
    return this.conn.db.select({ n: count() }).from(sessions).get()?.n ?? 0;
  }

  stats(): StoreStats {
    const { db } = this.conn;
    const totals = db
      .select({
        sessions: count(),
        messages: sql<number>`coalesce(sum(${sessions.message_count}), 0)`,
        oldest: sql<string | null>`min(${sessions.created_at})`,
        newest: sql<string | null>`max(${sessions.created_at})`,
      })
      .from(sessions)
      .get()!;
    const models = db.select({ model: sessions.model, n: count() }).from(sessions).groupBy(sessions.model).orderBy(desc(count()), asc(sessions.model)).all();
    return { ...totals, models: Object.fromEntries(models.map((m) => [m.model, m.n])) };
  }

  exportIds(): string[] {
    return this.conn.db.select({ id: sessions.id }).from(sessions).orderBy(asc(sessions.created_at), asc(sessions.id)).all().map((r) => r.id);
  }

  search(query: string, limit: number): Promise<SearchResult[]> {
    return searchSessions(this.searchSource(), query, limit);
  }

  private searchSource(): SearchSource {
    const s = this.statements.search();
    return {
      titleMatches: async (pattern, limit) => s.titles.all(pattern, limit),
      contentMatches: async (terms) => {
        const scored = await chooseCandidates(
          async (prefixes) => s.newest.all(toFtsQuery(terms, { prefixes })!, SEARCH_CANDIDATE_LIMIT + 1).map((id) => ({ id })),
          async () => s.ranked.all(toFtsQuery(terms)!),
        );
        const where = new Map(s.locate.all(JSON.stringify(scored.map((c) => c.id))).map((m) => [m.id, m]));
        return scored.flatMap(({ id, score }): ContentMatch[] => {
          const m = where.get(id);
          return m ? [{ messageId: id, sessionId: m.session_id, position: m.position, score }] : [];
        });
      },
      previewMatches: async (terms: readonly SearchTerm[], limit) =>
        s.previews ? s.previews.all(toFtsQuery(terms)!, limit).map((r) => ({ sessionId: r.session_id, content: r.content })) : [],
      summaries: async (ids) => s.summaries.all(JSON.stringify(ids)).map(toSummaryRow),
      messageContents: async (ids) => new Map(s.contents.all(JSON.stringify(ids)).map((r) => [r.id, { content: r.content, inContext: r.context_epoch === null }])),
    };
  }

  deleteSession(id: string): boolean {
    this.flushIndex();
    return this.statements.deleteSession.run({ id }).changes > 0;
  }

  deleteSessionsWithPrefix(prefix: string): number {
    this.flushIndex();
    return this.conn.sqlite.prepare(`DELETE FROM sessions WHERE id >= ? AND id < ?`).run(prefix, prefixUpperBound(prefix)).changes;
  }

  deleteAllSessions(): number {
    this.flushIndex();
    return this.conn.sqlite.prepare(`DELETE FROM sessions`).run().changes;
  }

  ledgerEntry(sourcePath: string): LedgerEntry | null {
    const row = this.statements.ledgerGet.get(sourcePath);
    return row ? ledgerFromRow(row) : null;
  }

  listLedger(): LedgerEntry[] {
    return this.statements.ledgerAll.all().map(ledgerFromRow);
  }

  upsertLedger(entry: LedgerEntry): void {
    const e = entry;
    this.statements.ledgerUpsert().run(e.sourcePath, e.size, e.sha256, e.sessionId, e.outcome, e.reason, e.importedAt, e.revision);
  }

  recordLedgerFailure(entry: LedgerEntry): void {
    const values = ledgerToRow(entry);
    this.conn.db
      .insert(legacyImports)
      .values(values)
      .onConflictDoUpdate({
        target: legacyImports.source_path,
        set: failedSourceUpdate(values, legacyImports),
      })
      .run();
  }

  syncHeads(ids?: readonly string[]): SyncHead[] {
    const list = ids === undefined ? null : JSON.stringify(ids);
    return this.statements
      .sync()
      .heads.all(list, list)
      .map((head) => ({ ...head, writable: true, shared: false, owner: null }));
  }

  /**
   * SHA-256 of the stored rows, every column (rows rewritten by a save get new ids, so it changes
   * too). The requests of one session share one read of its rows: the hash of a shorter prefix is
   * taken on the way (a copy of the hash's state), so the prefix and the whole cost one pass.
   */
  messagesFingerprints(requests: readonly FingerprintRequest[]): (string | null)[] {
    const answers: (string | null)[] = new Array(requests.length).fill(null);
    const bySession = new Map<string, number[]>();
    requests.forEach(({ id }, i) => bySession.set(id, [...(bySession.get(id) ?? []), i]));
    for (const [id, wanted] of bySession) {
      const counts = wanted.map((i) => requests[i]!.count);
      const rows = this.statements.sync().messageRows.all(id, Math.max(...counts));
      const hash = createHash("sha256");
      const answer = (n: number) => wanted.forEach((i) => requests[i]!.count === n && n <= rows.length && (answers[i] = hash.copy().digest("hex")));
      answer(0);
      rows.forEach((row, n) => {
        hash.update(`${row.map((value) => (value === null ? "\u0000" : String(value))).join("\u001f")}\u001e`);
        answer(n + 1);
      });
    }
    return answers;
  }

  syncEntries(remote: string, filter?: SyncEntryFilter): SyncEntry[] {
    const ids = filter?.sessionIds === undefined ? null : JSON.stringify(filter.sessionIds);
    const remoteIds = filter?.remoteSessionIds === undefined ? null : JSON.stringify(filter.remoteSessionIds);
    return this.statements
      .sync()
      .entries.all(remote, ids, remoteIds, ids ?? "[]", remoteIds ?? "[]")
      .map(syncEntryFromRow);
  }

  upsertSyncEntries(entries: readonly SyncEntry[]): void {
    const { upsert } = this.statements.sync();
    for (const entry of entries) upsert.run(syncEntryToRow(entry));
  }

  setShared(): void {
    throw new UnsupportedOnEngineError(this.conn.path, "Sessions in a file are nobody else's to read: sharing is for a PostgreSQL server (victor sessions push --share)");
  }

  /** Rebuilds both full-text indexes from the tables; the number of messages indexed. */
  rebuildSearchIndex(previewText: (previews: unknown) => string): number {
    const { sqlite } = this.conn;
    this.flushIndex();
    sqlite.exec(`INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')`);
    sqlite.exec(`DELETE FROM preview_fts`);
    const rows = sqlite.prepare(`SELECT id, json_extract(data, '$.conversation.preview_messages') AS previews FROM sessions WHERE json_valid(data)`).all() as {
      id: string;
      previews: string | null;
    }[];
    const { insert } = this.statements.previews();
    for (const row of rows) {
      const text = row.previews ? previewText(JSON.parse(row.previews)) : "";
      if (text !== "") insert.run(row.id, text);
    }
    return sqlite.prepare(`SELECT count(*) FROM messages WHERE content IS NOT NULL`).pluck().get() as number;
  }
}

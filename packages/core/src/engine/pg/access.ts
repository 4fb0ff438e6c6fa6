import { and, asc, count, desc, eq, gte, inArray, like, lt, sql, type SQL } from "drizzle-orm";
import { HEAD_COLUMNS, MESSAGE_ROW_COLUMNS, pickColumns, SUMMARY_COLUMNS } from "../../domain/columns.js";
import { prefixUpperBound } from "../../domain/id-resolution.js";
import { suffixedSessionId } from "../../domain/ids.js";
import { ledgerFromRow, ledgerToRow } from "../../domain/ledger-row.js";
import { storableCopy, type MessageRow } from "../../domain/message-codec.js";
import { chooseCandidates, searchSessions, SEARCH_CANDIDATE_LIMIT, type SearchSource } from "../../domain/search-plan.js";
import type { SearchTerm } from "../../domain/search-terms.js";
import type { SummaryRow } from "../../domain/session-data.js";
import type { LedgerEntry, SearchResult, SessionOrder, StoreStats } from "../../domain/types.js";
import { failedSourceUpdate } from "../ledger-update.js";
import type { EngineTransaction, MessageWrite, SessionInsert, SessionRow, SessionWrite, StoredHead, TitleWrite } from "../engine.js";
import type { PgExecutor } from "./connection.js";
import { legacyImports, messages, sessions, syncLedger } from "./schema.js";
import { retitledExactText, toStorableSessionText, withExactText } from "../../domain/storable-text.js";

export interface PgScope {
  /** The project key (see project-key.ts): every query is limited to it. */
  project: string;
  /** The host name saves come from (sessions.machine). */
  machine: string;
  /** A write transaction: the session row a save reads is locked until it ends (no lost updates). */
  write: boolean;
}

/** A session's push/pull bookkeeping against one remote; see schema.ts syncLedger. */
export interface SyncEntry {
  remote: string;
  sessionId: string;
  localRevision: number;
  remoteRevision: number;
  contentHash: string;
  direction: "push" | "pull";
  syncedAt: string;
}

const messageRowColumns = pickColumns(messages, MESSAGE_ROW_COLUMNS);

/** What list and search show of a session, without the (possibly large) `data` column. */
const summaryColumns = {
  ...pickColumns(sessions, SUMMARY_COLUMNS),
  // Written with data (see schema.ts): JSON text, as SQLite's json_extract gives it.
  tags: sessions.tags,
  preview_count: sessions.preview_count,
  exact_text: sessions.exact_text,
};

const headColumns = pickColumns(sessions, HEAD_COLUMNS);

/** The row the domain's toSummary expects, with any cleaned text replaced by its exact value. */
function toSummaryRow({ exact_text, ...row }: SummaryRow & { exact_text: (typeof sessions.$inferSelect)["exact_text"] }): SummaryRow {
  return withExactText(row, exact_text);
}

function syncEntryFromRow(row: typeof syncLedger.$inferSelect): SyncEntry {
  return {
    remote: row.remote,
    sessionId: row.session_id,
    localRevision: row.local_revision,
    remoteRevision: row.remote_revision,
    contentHash: row.content_hash,
    direction: row.direction as SyncEntry["direction"],
    syncedAt: row.synced_at,
  };
}

const ORDERS: Record<SessionOrder, SQL[]> = {
  updated: [desc(sessions.updated_at), desc(sessions.id)],
  created: [desc(sessions.created_at), desc(sessions.id)],
  title: [asc(sessions.name), desc(sessions.updated_at)],
};

/** A lexeme as a tsquery literal: quoted, ' and \ escaped (the word split leaves neither; still). */
const QUOTED_LEXEME = sql.raw(String.raw`'''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || ''''`);

/**
 * Every query the session store runs on PostgreSQL, limited to one project (see EngineTransaction).
 * Typed with drizzle; raw SQL only for full-text search (tsvector) and the batch insert of
 * messages. Runs inside one transaction of engine.ts, which maps driver errors to typed errors.
 */
export class PgAccess implements EngineTransaction {
  constructor(
    private readonly db: PgExecutor,
    private readonly scope: PgScope,
  ) {}

  private inProject(id: string) {
    return and(eq(sessions.project, this.scope.project), eq(sessions.id, id));
  }

  private idRange(prefix: string) {
    return and(eq(sessions.project, this.scope.project), gte(sessions.id, prefix), lt(sessions.id, prefixUpperBound(prefix)));
  }

  private messagesOf(id: string) {
    return and(eq(messages.project, this.scope.project), eq(messages.session_id, id));
  }

  /** The columns of an insert or update: text PostgreSQL cannot store is cleaned, its exact value kept. */
  private sessionColumns(row: SessionWrite) {
    const { columns, exact } = toStorableSessionText({ name: row.name, search_title: row.search_title, provider: row.provider, model: row.model, profile: row.profile });
    return {
      ...columns,
      // The domain hands over the JSON text it also gives SQLite; drizzle would encode it again.
      data: sql`${row.data}::json`,
      created_at: row.created_at,
      updated_at: row.updated_at,
      message_count: row.message_count,
      tags: row.tags,
      preview_count: row.preview_count,
      exact_text: exact,
      machine: this.scope.machine,
    };
  }

  async head(id: string): Promise<StoredHead | null> {
    const query = this.db.select(headColumns).from(sessions).where(this.inProject(id));
    const [row] = this.scope.write ? await query.for("update") : await query;
    if (!row) return null;
    const { exact_text, ...head } = row;
    return withExactText(head, exact_text);
  }

  async idsWithPrefix(prefix: string, limit: number): Promise<string[]> {
    const rows = await this.db.select({ id: sessions.id }).from(sessions).where(this.idRange(prefix)).orderBy(asc(sessions.id)).limit(limit);
    return rows.map((r) => r.id);
  }

  /**
   * One INSERT … ON CONFLICT DO NOTHING: an id taken by another writer (even one still in its
   * transaction: the insert waits for it, or by a session this role cannot see) is never reused.
   */
  async insertSession(row: SessionInsert): Promise<boolean> {
    const inserted = await this.db
      .insert(sessions)
      .values({ project: this.scope.project, id: row.id, parent_id: row.parent_id, revision: row.revision, incarnation: row.incarnation, ...this.sessionColumns(row) })
      .onConflictDoNothing({ target: [sessions.project, sessions.id] })
      .returning({ id: sessions.id });
    return inserted.length > 0;
  }

  async insertSessionWithFreshId(base: string, row: Omit<SessionInsert, "id">, reserved?: ReadonlySet<string>): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      const id = suffixedSessionId(base, attempt);
      if (reserved?.has(id)) continue;
      if (await this.insertSession({ ...row, id })) return id;
    }
  }

  async updateSession(id: string, row: SessionWrite): Promise<void> {
    await this.db
      .update(sessions)
      .set({ ...this.sessionColumns(row), revision: sql`${sessions.revision} + 1`, parent_id: sql`coalesce(${row.parent_id}::text, ${sessions.parent_id})` })
      .where(this.inProject(id));
  }

  async updateTitle(id: string, title: TitleWrite): Promise<void> {
    // Merged here, not in SQL: jsonb would reject the very \u0000 and lone-surrogate escapes this column exists for.
    const [current] = await this.db.select({ exact_text: sessions.exact_text }).from(sessions).where(this.inProject(id)).for("update");
    if (!current) return;
    const { columns, exact } = toStorableSessionText({ name: title.name, search_title: title.search_title });
    await this.db
      .update(sessions)
      .set({
        name: columns.name,
        search_title: columns.search_title,
        data: sql`${title.data}::json`,
        updated_at: title.updated_at,
        revision: sql`${sessions.revision} + 1`,
        exact_text: retitledExactText(current.exact_text, exact),
      })
      .where(this.inProject(id));
  }

  async messagesFrom(id: string, from: number): Promise<MessageRow[]> {
    const where = from > 0 ? and(this.messagesOf(id), gte(messages.position, from)) : this.messagesOf(id);
    return this.db.select(messageRowColumns).from(messages).where(where).orderBy(asc(messages.position));
  }

  async deleteMessagesFrom(id: string, from: number): Promise<void> {
    await this.db.delete(messages).where(and(this.messagesOf(id), gte(messages.position, from)));
  }

  /**
   * Appends messages in one statement whatever their number: one array per column, unnested by
   * the server. Raw SQL because drizzle's multi-row VALUES (10 parameters a row, in batches under
   * the 65,535 limit) took 2.4 times as long (measured: 10,000 messages, 1.25 s vs 0.53 s).
   */
  async insertMessages(rows: readonly MessageWrite[]): Promise<void> {
    if (rows.length === 0) return;
    const column = (key: keyof MessageWrite) => sql.param(rows.map((row) => row[key]));
    const name = (c: { name: string }) => sql.identifier(c.name);
    await this.db.execute(sql`
      INSERT INTO ${messages} (${name(messages.project)}, ${name(messages.session_id)}, ${name(messages.position)}, ${name(messages.role)}, ${name(messages.content)},
        ${name(messages.name)}, ${name(messages.tool_calls)}, ${name(messages.tool_call_id)}, ${name(messages.extra)}, ${name(messages.created_at)})
      SELECT ${this.scope.project}, * FROM unnest(${column("session_id")}::text[], ${column("position")}::int[], ${column("role")}::text[], ${column("content")}::text[],
        ${column("name")}::text[], ${column("tool_calls")}::text[], ${column("tool_call_id")}::text[], ${column("extra")}::text[], ${column("created_at")}::text[])`);
  }

  async updatePreviewText(id: string, before: string, after: string, created: boolean): Promise<void> {
    if (before === after && !created) return;
    if (after === "" && (created || before === "")) return;
    await this.db.update(sessions).set({ preview_text: storableCopy(after) }).where(this.inProject(id));
  }

  async sessionRow(id: string): Promise<SessionRow | null> {
    const [row] = await this.db.select().from(sessions).where(this.inProject(id));
    if (!row) return null;
    const { exact_text, project: _project, search_title: _searchTitle, preview_text: _previews, preview_search: _search, tags: _tags, preview_count: _count, ...rest } = row;
    return withExactText(rest, exact_text);
  }

  async listSessions(options: { orderBy: SessionOrder; limit: number; offset: number }): Promise<SummaryRow[]> {
    const query = this.db
      .select(summaryColumns)
      .from(sessions)
      .where(eq(sessions.project, this.scope.project))
      .orderBy(...ORDERS[options.orderBy])
      .offset(options.offset);
    const rows = options.limit < 0 ? await query : await query.limit(options.limit);
    return rows.map(toSummaryRow);
  }

  async summary(id: string): Promise<SummaryRow | null> {
    const [row] = await this.db.select(summaryColumns).from(sessions).where(this.inProject(id));
    return row ? toSummaryRow(row) : null;
  }

  async countSessions(): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(sessions).where(eq(sessions.project, this.scope.project));
    return row?.n ?? 0;
  }

  async stats(): Promise<StoreStats> {
    const inProject = eq(sessions.project, this.scope.project);
    const [totals] = await this.db
      .select({
        sessions: count(),
        messages: sql<number>`coalesce(sum(${sessions.message_count}), 0)::int`,
        oldest: sql<string | null>`min(${sessions.created_at})`,
        newest: sql<string | null>`max(${sessions.created_at})`,
      })
      .from(sessions)
      .where(inProject);
    const models = await this.db.select({ model: sessions.model, n: count() }).from(sessions).where(inProject).groupBy(sessions.model).orderBy(desc(count()), asc(sessions.model));
    return { ...totals!, models: Object.fromEntries(models.map((m) => [m.model, m.n])) };
  }

  async exportIds(): Promise<string[]> {
    const rows = await this.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.project, this.scope.project)).orderBy(asc(sessions.created_at), asc(sessions.id));
    return rows.map((r) => r.id);
  }

  search(query: string, limit: number): Promise<SearchResult[]> {
    return searchSessions(this.searchSource(), query, limit);
  }

  /**
   * The tsquery for the user's terms, built by the server from the same victor.search_vector that
   * indexes messages, so both sides split and fold words alike (`CI/CD` → ci, cd; `Café` → cafe).
   * User text only ever reaches to_tsvector as data; the query is assembled from the resulting
   * lexemes, each quoted. A term's words must follow each other (<->); terms are ANDed. `prefixed`
   * matches the last word of each non-phrase term as a prefix (`auth` finds `authentication`),
   * `exact` matches whole words only. Null when no term has a word.
   */
  private async tsQueries(terms: readonly SearchTerm[]): Promise<{ exact: string; prefixed: string } | null> {
    const result = await this.db.execute<{ exact: string | null; prefixed: string | null }>(sql`
      WITH word AS (
        SELECT t.ord, t.phrase, v.lexeme, p.pos, p.pos = max(p.pos) OVER (PARTITION BY t.ord) AS last
        FROM unnest(${sql.param(terms.map((t) => t.text))}::text[], ${sql.param(terms.map((t) => t.phrase))}::boolean[]) WITH ORDINALITY AS t(text, phrase, ord)
        CROSS JOIN LATERAL unnest(victor.search_vector(t.text)) AS v(lexeme, positions, weights)
        CROSS JOIN LATERAL unnest(v.positions) AS p(pos)
      ), term AS (
        SELECT ord,
          string_agg(${QUOTED_LEXEME}, ' <-> ' ORDER BY pos) AS exact,
          string_agg(${QUOTED_LEXEME} || CASE WHEN last AND NOT phrase THEN ':*' ELSE '' END, ' <-> ' ORDER BY pos) AS prefixed
        FROM word GROUP BY ord
      )
      SELECT string_agg('(' || exact || ')', ' & ' ORDER BY ord) AS exact, string_agg('(' || prefixed || ')', ' & ' ORDER BY ord) AS prefixed FROM term`);
    const row = result.rows[0];
    return row?.exact && row.prefixed ? { exact: row.exact, prefixed: row.prefixed } : null;
  }

  /**
   * The newest matching messages with their rank, among the sessions this role may see. Runs in
   * victor.search_candidates (drizzle/pg 0003): under row-level security a plain query could not
   * use the GIN index.
   */
  private async newestMatches(tsquery: string) {
    const result = await this.db.execute<{ id: string; session_id: string; position: number; rank: number }>(
      sql`SELECT id, session_id, position, rank FROM victor.search_candidates(${this.scope.project}, ${tsquery}::tsquery, ${SEARCH_CANDIDATE_LIMIT + 1})`,
    );
    return result.rows.map((row) => ({ messageId: Number(row.id), sessionId: row.session_id, position: row.position, rank: row.rank }));
  }

  private searchSource(): SearchSource {
    const { db } = this;
    const project = this.scope.project;
    return {
      titleMatches: async (pattern, limit) =>
        (
          await db
            .select({ id: sessions.id })
            .from(sessions)
            .where(and(eq(sessions.project, project), like(sessions.search_title, pattern)))
            .orderBy(desc(sessions.updated_at))
            .limit(limit)
        ).map((r) => r.id),
      contentMatches: async (terms) => {
        const queries = await this.tsQueries(terms);
        if (!queries) return [];
        let exact: Awaited<ReturnType<PgAccess["newestMatches"]>> | undefined;
        return chooseCandidates(
          async (prefixes) => {
            if (!prefixes) return (exact = await this.newestMatches(queries.exact));
            return queries.prefixed === queries.exact && exact ? exact : this.newestMatches(queries.prefixed);
          },
          async (prefixed) => prefixed.map((match) => ({ ...match, score: -match.rank })),
        );
      },
      previewMatches: async (terms, limit) => {
        const queries = await this.tsQueries(terms);
        if (!queries) return [];
        const rows = await db
          .select({ sessionId: sessions.id, content: sessions.preview_text })
          .from(sessions)
          .where(and(eq(sessions.project, project), sql`${sessions.preview_search} @@ ${queries.prefixed}::tsquery`))
          .orderBy(sql`ts_rank(${sessions.preview_search}, ${queries.prefixed}::tsquery) DESC`)
          .limit(limit);
        return rows;
      },
      summaries: async (ids) => (await db.select(summaryColumns).from(sessions).where(and(eq(sessions.project, project), inArray(sessions.id, [...ids])))).map(toSummaryRow),
      messageContents: async (ids) =>
        new Map(
          (await db.select({ id: messages.id, content: messages.content }).from(messages).where(and(eq(messages.project, project), inArray(messages.id, [...ids])))).map((r) => [
            r.id,
            r.content,
          ]),
        ),
    };
  }

  async deleteSession(id: string): Promise<boolean> {
    const deleted = await this.db.delete(sessions).where(this.inProject(id));
    return (deleted.rowCount ?? 0) > 0;
  }

  async deleteSessionsWithPrefix(prefix: string): Promise<number> {
    const deleted = await this.db.delete(sessions).where(this.idRange(prefix));
    return deleted.rowCount ?? 0;
  }

  async deleteAllSessions(): Promise<number> {
    const deleted = await this.db.delete(sessions).where(eq(sessions.project, this.scope.project));
    return deleted.rowCount ?? 0;
  }

  private ownLedger() {
    return and(eq(legacyImports.project, this.scope.project), eq(legacyImports.owner, sql`CURRENT_USER`));
  }

  /** victor-migrate's record of one source (this role's, in this project). */
  async ledgerEntry(sourcePath: string): Promise<LedgerEntry | null> {
    const [row] = await this.db.select().from(legacyImports).where(and(this.ownLedger(), eq(legacyImports.source_path, sourcePath)));
    return row ? ledgerFromRow(row) : null;
  }

  async listLedger(): Promise<LedgerEntry[]> {
    const rows = await this.db.select().from(legacyImports).where(this.ownLedger()).orderBy(asc(legacyImports.source_path));
    return rows.map(ledgerFromRow);
  }

  async upsertLedger(entry: LedgerEntry): Promise<void> {
    const { source_path, ...values } = ledgerToRow(entry);
    await this.db
      .insert(legacyImports)
      .values({ project: this.scope.project, source_path, ...values })
      .onConflictDoUpdate({ target: [legacyImports.project, legacyImports.owner, legacyImports.source_path], set: values });
  }

  async recordLedgerFailure(entry: LedgerEntry): Promise<void> {
    const { source_path, ...values } = ledgerToRow(entry);
    await this.db
      .insert(legacyImports)
      .values({ project: this.scope.project, source_path, ...values })
      .onConflictDoUpdate({
        target: [legacyImports.project, legacyImports.owner, legacyImports.source_path],
        set: failedSourceUpdate(values, legacyImports),
      });
  }

  /** What push/pull last agreed with `remote` about one session. */
  async syncEntry(remote: string, sessionId: string): Promise<SyncEntry | null> {
    const [row] = await this.db
      .select()
      .from(syncLedger)
      .where(and(eq(syncLedger.project, this.scope.project), eq(syncLedger.owner, sql`CURRENT_USER`), eq(syncLedger.remote, remote), eq(syncLedger.session_id, sessionId)));
    return row ? syncEntryFromRow(row) : null;
  }

  async listSyncEntries(remote: string): Promise<SyncEntry[]> {
    const rows = await this.db
      .select()
      .from(syncLedger)
      .where(and(eq(syncLedger.project, this.scope.project), eq(syncLedger.owner, sql`CURRENT_USER`), eq(syncLedger.remote, remote)))
      .orderBy(asc(syncLedger.session_id));
    return rows.map(syncEntryFromRow);
  }

  async upsertSyncEntry(entry: SyncEntry): Promise<void> {
    const values = {
      local_revision: entry.localRevision,
      remote_revision: entry.remoteRevision,
      content_hash: entry.contentHash,
      direction: entry.direction,
      synced_at: entry.syncedAt,
    };
    await this.db
      .insert(syncLedger)
      .values({ project: this.scope.project, remote: entry.remote, session_id: entry.sessionId, ...values })
      .onConflictDoUpdate({ target: [syncLedger.project, syncLedger.owner, syncLedger.remote, syncLedger.session_id], set: values });
  }
}

import { and, asc, count, desc, eq, getTableColumns, gte, inArray, isNull, like, lt, or, sql, type SQL } from "drizzle-orm";
import type { ContextRow, StoredRow } from "../../domain/context-history.js";
import { HEAD_COLUMNS, MESSAGE_ROW_COLUMNS, pickColumns, SUMMARY_COLUMNS } from "../../domain/columns.js";
import { prefixUpperBound } from "../../domain/id-resolution.js";
import { suffixedSessionId } from "../../domain/ids.js";
import { ledgerFromRow, ledgerToRow } from "../../domain/ledger-row.js";
import { storableCopy, type MessageColumns } from "../../domain/message-codec.js";
import { chooseCandidates, searchSessions, SEARCH_CANDIDATE_LIMIT, type SearchSource } from "../../domain/search-plan.js";
import type { SearchTerm } from "../../domain/search-terms.js";
import type { SummaryRow } from "../../domain/session-data.js";
import type { ContextEpoch, LedgerEntry, SearchResult, SessionOrder, StoreStats } from "../../domain/types.js";
import { syncEntryFromRow, syncEntryToRow, type SyncEntry, type SyncEntryFilter, type SyncHead } from "../../domain/sync-entry.js";
import { failedSourceUpdate } from "../ledger-update.js";
import type { ContextWrite, EngineTransaction, FingerprintRequest, MessageWrite, SessionInsert, SessionRow, SessionWrite, StoredHead, TitleWrite } from "../engine.js";
import { alias, type AnyPgColumn } from "drizzle-orm/pg-core";
import type { PgExecutor } from "./connection.js";
import type { HistoryDetails } from "../../domain/session-tree.js";
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

const messageRowColumns = pickColumns(messages, MESSAGE_ROW_COLUMNS);

/** What list and search show of a session, without the (possibly large) `data` column. */
const summaryColumns = {
  ...pickColumns(sessions, SUMMARY_COLUMNS),
  // Written with data (see schema.ts): JSON text, as SQLite's json_extract gives it.
  tags: sessions.tags,
  preview_count: sessions.preview_count,
  exact_text: sessions.exact_text,
  project: sessions.project,
  owner: sessions.owner,
  machine: sessions.machine,
  shared: sessions.shared,
};

// One past the highest position, off the (project, session_id, position) index: where a save appends.
// Spelt out: drizzle leaves column names unqualified in a one-table select, which would name m's own here.
const nextPosition = sql<number>`(SELECT coalesce(max(m.position) + 1, 0)::int FROM victor.messages m WHERE m.project = victor.sessions.project AND m.session_id = victor.sessions.id)`.as(
  "next_position",
);

const headColumns = { ...pickColumns(sessions, HEAD_COLUMNS), next_position: nextPosition };

/** The row the domain's toSummary expects, with any cleaned text replaced by its exact value. */
function toSummaryRow({ exact_text, ...row }: SummaryRow & { exact_text: (typeof sessions.$inferSelect)["exact_text"] }): SummaryRow {
  return withExactText(row, exact_text);
}

/**
 * With --all-projects, search keys a session by its project and id (two projects may hold the
 * same id); the domain's search treats the key as an id, and the results get the real id back.
 */
const projectKey = (project: string, id: string): string => `${project}\u0000${id}`;
/** `column = ANY($1)`: one array parameter, however many values (an IN list has one parameter each). */
const anyOf = (column: AnyPgColumn, values: readonly string[]): SQL => sql`${column} = ANY(${sql.param([...values])}::text[])`;

const splitKey = (key: string): [project: string, id: string] => {
  const at = key.indexOf("\u0000");
  return [key.slice(0, at), key.slice(at + 1)];
};

const ORDERS: Record<SessionOrder, SQL[]> = {
  updated: [desc(sessions.updated_at), desc(sessions.id)],
  created: [desc(sessions.created_at), desc(sessions.id)],
  title: [asc(sessions.name), desc(sessions.updated_at)],
};

/** The context's first N messages of each session asked about (a lateral subquery, see messagesFingerprints). */
const fingerprinted = alias(messages, "fingerprinted");
/** What messagesFingerprint hashes of a row: NULL spelled apart from any text (concat_ws would skip it). */
const FINGERPRINT_COLUMNS = sql.join(
  [fingerprinted.id, fingerprinted.position, fingerprinted.created_at, ...MESSAGE_ROW_COLUMNS.map((name) => fingerprinted[name])].map(
    (column) => sql`coalesce(${column}::text, E'\x01')`,
  ),
  sql`, `,
);

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

  async sessionExists(id: string): Promise<boolean> {
    const rows = await this.db.select({ id: sessions.id }).from(sessions).where(this.inProject(id)).limit(1);
    return rows.length > 0;
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
      .values({ project: this.scope.project, id: row.id, parent_id: row.parent_id, fork_point: row.fork_point, revision: row.revision, incarnation: row.incarnation, ...this.sessionColumns(row) })
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
      .set({
        ...this.sessionColumns(row),
        revision: sql`${sessions.revision} + 1`,
        parent_id: sql`coalesce(${row.parent_id}::text, ${sessions.parent_id})`,
        fork_point: sql`coalesce(${row.fork_point}::int, ${sessions.fork_point})`,
      })
      .where(this.inProject(id));
  }

  async updateContext(id: string, row: ContextWrite): Promise<void> {
    await this.db
      .update(sessions)
      .set({ data: sql`${row.data}::json`, message_count: row.message_count, updated_at: row.updated_at, revision: sql`${sessions.revision} + 1` })
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

  async contextRows(id: string, fromIndex: number, limit?: number): Promise<ContextRow[]> {
    const rows = await this.contextQuery(id, fromIndex, limit);
    return rows.map((r): ContextRow => [r.role, r.content, r.name, r.tool_calls, r.tool_call_id, r.extra, r.position]);
  }

  async contextColumns(id: string, fromIndex: number): Promise<MessageColumns[]> {
    const rows = await this.contextQuery(id, fromIndex);
    return rows.map((r): MessageColumns => [r.role, r.content, r.name, r.tool_calls, r.tool_call_id, r.extra]);
  }

  private contextQuery(id: string, fromIndex: number, limit?: number) {
    const query = this.db
      .select({ ...messageRowColumns, position: messages.position })
      .from(messages)
      .where(and(this.messagesOf(id), isNull(messages.context_epoch)))
      .orderBy(asc(messages.position))
      .$dynamic();
    if (limit !== undefined) query.limit(limit);
    return fromIndex > 0 ? query.offset(fromIndex) : query;
  }

  async allRows(id: string): Promise<StoredRow[]> {
    return this.db
      .select({ ...messageRowColumns, position: messages.position, context_epoch: messages.context_epoch, carried_from: messages.carried_from })
      .from(messages)
      .where(this.messagesOf(id))
      .orderBy(asc(messages.position));
  }

  async markOutOfContext(id: string, fromPosition: number, epoch: number): Promise<number> {
    const marked = await this.db
      .update(messages)
      .set({ context_epoch: epoch })
      .where(and(this.messagesOf(id), gte(messages.position, fromPosition), isNull(messages.context_epoch)));
    return marked.rowCount ?? 0;
  }

  async restoreEpoch(id: string, epoch: number, appended: readonly [number, number], undoEpoch: number): Promise<{ restored: number; retracted: number }> {
    const retracted = await this.db
      .update(messages)
      .set({ context_epoch: undoEpoch })
      .where(and(this.messagesOf(id), gte(messages.position, appended[0]), lt(messages.position, appended[1]), isNull(messages.context_epoch)));
    const restored = await this.db
      .update(messages)
      .set({ context_epoch: null })
      .where(and(this.messagesOf(id), eq(messages.context_epoch, epoch)));
    return { restored: restored.rowCount ?? 0, retracted: retracted.rowCount ?? 0 };
  }

  /** One statement whatever the number of marks: the positions and marks as arrays, joined by the server. */
  async setContextMarks(id: string, marks: readonly { position: number; context_epoch: number | null }[]): Promise<void> {
    if (marks.length === 0) return;
    await this.db.execute(sql`
      UPDATE ${messages} SET ${sql.identifier(messages.context_epoch.name)} = m.context_epoch
      FROM unnest(${sql.param(marks.map((m) => m.position))}::int[], ${sql.param(marks.map((m) => m.context_epoch))}::int[]) AS m(position, context_epoch)
      WHERE ${messages.project} = ${this.scope.project} AND ${messages.session_id} = ${id} AND ${messages.position} = m.position`);
  }

  async historyDetails(ids: readonly string[]): Promise<Map<string, HistoryDetails>> {
    if (ids.length === 0) return new Map();
    const outOfContext = this.db
      .select({ n: count(messages.context_epoch) })
      .from(messages)
      .where(and(eq(messages.project, sessions.project), eq(messages.session_id, sessions.id)));
    const rows = await this.db
      .select({ id: sessions.id, epochs: sql<ContextEpoch[] | null>`${sessions.data} -> 'epochs'`, outOfContext: sql<number>`(${outOfContext})::int` })
      .from(sessions)
      .where(and(eq(sessions.project, this.scope.project), inArray(sessions.id, [...ids])));
    return new Map(rows.map((r) => [r.id, { outOfContext: r.outOfContext, epochs: r.epochs ?? [] }]));
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
        ${name(messages.name)}, ${name(messages.tool_calls)}, ${name(messages.tool_call_id)}, ${name(messages.extra)}, ${name(messages.created_at)}, ${name(messages.context_epoch)}, ${name(messages.carried_from)})
      SELECT ${this.scope.project}, * FROM unnest(${column("session_id")}::text[], ${column("position")}::int[], ${column("role")}::text[], ${column("content")}::text[],
        ${column("name")}::text[], ${column("tool_calls")}::text[], ${column("tool_call_id")}::text[], ${column("extra")}::text[], ${column("created_at")}::text[],
        ${column("context_epoch")}::int[], ${column("carried_from")}::int[])`);
  }

  async updatePreviewText(id: string, before: string, after: string, created: boolean): Promise<void> {
    if (before === after && !created) return;
    if (after === "" && (created || before === "")) return;
    await this.db.update(sessions).set({ preview_text: storableCopy(after) }).where(this.inProject(id));
  }

  async sessionRow(id: string): Promise<SessionRow | null> {
    const [row] = await this.db
      .select({ ...getTableColumns(sessions), next_position: nextPosition })
      .from(sessions)
      .where(this.inProject(id));
    if (!row) return null;
    const { exact_text, project: _project, search_title: _searchTitle, preview_text: _previews, preview_search: _search, tags: _tags, preview_count: _count, ...rest } = row;
    return withExactText(rest, exact_text);
  }

  async listSessions(options: { orderBy: SessionOrder; limit: number; offset: number; allProjects?: boolean }): Promise<SummaryRow[]> {
    const query = this.db
      .select(summaryColumns)
      .from(sessions)
      .where(options.allProjects ? undefined : eq(sessions.project, this.scope.project))
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

  async search(query: string, limit: number, options: { allProjects?: boolean } = {}): Promise<SearchResult[]> {
    if (!options.allProjects) return searchSessions(this.searchSource(this.scope.project), query, limit);
    const results = await searchSessions(this.searchSource(null), query, limit);
    return results.map((result) => ({ ...result, id: splitKey(result.id)[1] }));
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
  private async newestMatches(project: string | null, tsquery: string) {
    const result = await this.db.execute<{ project: string; id: string; session_id: string; position: number; rank: number }>(
      sql`SELECT project, id, session_id, position, rank FROM victor.search_candidates(${project}::text, ${tsquery}::tsquery, ${SEARCH_CANDIDATE_LIMIT + 1})`,
    );
    return result.rows.map((row) => ({
      messageId: Number(row.id),
      sessionId: project === null ? projectKey(row.project, row.session_id) : row.session_id,
      position: row.position,
      rank: row.rank,
    }));
  }

  /** The questions of the domain's search, in one project, or in every one (null: sessions keyed by projectKey). */
  private searchSource(project: string | null): SearchSource {
    const { db } = this;
    const inProject = project === null ? undefined : eq(sessions.project, project);
    const keyOf = (row: { project: string; id: string }) => (project === null ? projectKey(row.project, row.id) : row.id);
    return {
      titleMatches: async (pattern, limit) =>
        (
          await db
            .select({ project: sessions.project, id: sessions.id })
            .from(sessions)
            .where(and(inProject, like(sessions.search_title, pattern)))
            .orderBy(desc(sessions.updated_at))
            .limit(limit)
        ).map(keyOf),
      contentMatches: async (terms) => {
        const queries = await this.tsQueries(terms);
        if (!queries) return [];
        let exact: Awaited<ReturnType<PgAccess["newestMatches"]>> | undefined;
        return chooseCandidates(
          async (prefixes) => {
            if (!prefixes) return (exact = await this.newestMatches(project, queries.exact));
            return queries.prefixed === queries.exact && exact ? exact : this.newestMatches(project, queries.prefixed);
          },
          async (prefixed) => prefixed.map((match) => ({ ...match, score: -match.rank })),
        );
      },
      previewMatches: async (terms, limit) => {
        const queries = await this.tsQueries(terms);
        if (!queries) return [];
        const rows = await db
          .select({ project: sessions.project, id: sessions.id, content: sessions.preview_text })
          .from(sessions)
          .where(and(inProject, sql`${sessions.preview_search} @@ ${queries.prefixed}::tsquery`))
          .orderBy(sql`ts_rank(${sessions.preview_search}, ${queries.prefixed}::tsquery) DESC`)
          .limit(limit);
        return rows.map((row) => ({ sessionId: keyOf(row), content: row.content }));
      },
      summaries: async (keys) => {
        if (project !== null) return (await db.select(summaryColumns).from(sessions).where(and(inProject, inArray(sessions.id, [...keys])))).map(toSummaryRow);
        const pairs = keys.map(splitKey);
        const rows = await db
          .select(summaryColumns)
          .from(sessions)
          .where(sql`(${sessions.project}, ${sessions.id}) IN (SELECT * FROM unnest(${sql.param(pairs.map((p) => p[0]))}::text[], ${sql.param(pairs.map((p) => p[1]))}::text[]))`);
        return rows.map((row) => ({ ...toSummaryRow(row), id: projectKey(row.project, row.id) }));
      },
      messageContents: async (ids) =>
        new Map(
          (
            await db
              .select({ id: messages.id, content: messages.content, context_epoch: messages.context_epoch })
              .from(messages)
              .where(and(project === null ? undefined : eq(messages.project, project), inArray(messages.id, [...ids])))
          ).map((r) => [r.id, { content: r.content, inContext: r.context_epoch === null }]),
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

  /** Every session of the project this role may read; `writable`: its own (only those may it change). */
  async syncHeads(ids?: readonly string[]): Promise<SyncHead[]> {
    return this.db
      .select({
        id: sessions.id,
        revision: sessions.revision,
        incarnation: sessions.incarnation,
        message_count: sessions.message_count,
        updated_at: sessions.updated_at,
        created_at: sessions.created_at,
        parent_id: sessions.parent_id,
        owner: sessions.owner,
        shared: sessions.shared,
        writable: sql<boolean>`${sessions.owner} = CURRENT_USER`,
      })
      .from(sessions)
      .where(and(eq(sessions.project, this.scope.project), ids === undefined ? undefined : anyOf(sessions.id, ids)))
      .orderBy(asc(sessions.created_at), asc(sessions.id));
  }

  /**
   * Computed by the server, all in one query, so no message crosses the network: the MD5 of the
   * rows' columns (the codec's, so a column it gains is covered too, plus id, position and time).
   * A save rewrites rows by deleting and inserting them, which gives them new ids, so any rewrite
   * changes it. Measured on 10,000 messages: 14 ms (the whole row as text, search vector included: 63 ms).
   */
  async messagesFingerprints(requests: readonly FingerprintRequest[]): Promise<(string | null)[]> {
    if (requests.length === 0) return [];
    const result = await this.db.execute<{ n: number; fingerprint: string | null }>(sql`
      SELECT count(${fingerprinted.id})::int AS n, md5(string_agg(concat_ws(E'\x1f', ${FINGERPRINT_COLUMNS}), E'\x1e' ORDER BY ${fingerprinted.position})) AS fingerprint
      FROM unnest(${sql.param(requests.map((r) => r.id))}::text[], ${sql.param(requests.map((r) => r.count))}::int[]) WITH ORDINALITY AS wanted(id, count, ord)
      LEFT JOIN LATERAL (
        SELECT * FROM ${messages}
        WHERE ${messages.project} = ${this.scope.project} AND ${messages.session_id} = wanted.id AND ${messages.context_epoch} IS NULL
        ORDER BY ${messages.position} LIMIT wanted.count
      ) AS ${sql.identifier("fingerprinted")} ON true
      GROUP BY wanted.ord ORDER BY wanted.ord`);
    return result.rows.map((row, i) => (row.n < requests[i]!.count ? null : (row.fingerprint ?? "")));
  }

  /** This role's ledger rows about one remote, in this project (row-level security keeps them its own). */
  async syncEntries(remote: string, filter?: SyncEntryFilter): Promise<SyncEntry[]> {
    const ids = filter?.sessionIds;
    const remoteIds = filter?.remoteSessionIds;
    const named =
      ids === undefined && remoteIds === undefined
        ? undefined
        : or(ids === undefined ? undefined : anyOf(syncLedger.session_id, ids), remoteIds === undefined ? undefined : anyOf(syncLedger.remote_session_id, remoteIds));
    const rows = await this.db
      .select()
      .from(syncLedger)
      .where(and(eq(syncLedger.project, this.scope.project), eq(syncLedger.owner, sql`CURRENT_USER`), eq(syncLedger.remote, remote), named))
      .orderBy(asc(syncLedger.session_id));
    return rows.map(syncEntryFromRow);
  }

  /** One statement for all of them. */
  async upsertSyncEntries(entries: readonly SyncEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const rows = entries.map((entry) => ({ project: this.scope.project, ...syncEntryToRow(entry) }));
    const { remote: _remote, session_id: _id, ...updated } = rows[0]!;
    const set = Object.fromEntries(Object.keys(updated).filter((k) => k !== "project").map((k) => [k, sql.raw(`excluded.${k}`)]));
    await this.db
      .insert(syncLedger)
      .values(rows)
      .onConflictDoUpdate({ target: [syncLedger.project, syncLedger.owner, syncLedger.remote, syncLedger.session_id], set });
  }

  /** Row-level security lets only the owner change it; anyone else's session is left as it is. */
  async setShared(id: string, shared: boolean): Promise<void> {
    await this.db.update(sessions).set({ shared }).where(this.inProject(id));
  }
}

import { and, desc, eq, inArray, like, sql } from "drizzle-orm";
import { SEARCH_CANDIDATE_LIMIT, titleLikePattern } from "../sqlite/search.js";
import { searchTerms, type SearchTerm } from "../../domain/search-terms.js";
import { toSummary } from "../../domain/session-data.js";
import { makeSnippet } from "../../domain/snippet.js";
import type { SearchResult } from "../../domain/types.js";
import type { PgExecutor } from "./connection.js";
import { messages, sessions } from "./schema.js";
import { summaryColumns, toSummaryRow } from "./summary.js";

/** A lexeme as a tsquery literal: quoted, ' and \ escaped (the word split leaves neither; still). */
const QUOTED_LEXEME = sql.raw(String.raw`'''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || ''''`);

/**
 * The tsquery for the user's terms, built by the server from the same victor.search_vector that
 * indexes messages, so both sides split and fold words alike (`CI/CD` → ci, cd; `Café` → cafe).
 * User text only ever reaches to_tsvector as data; the query is assembled from the resulting
 * lexemes, each quoted. A term's words must follow each other (<->); terms are ANDed. `prefixed`
 * matches the last word of each non-phrase term as a prefix (`auth` finds `authentication`),
 * `exact` matches whole words only. Null when no term has a word.
 */
async function buildTsQueries(db: PgExecutor, terms: readonly SearchTerm[]): Promise<{ exact: string; prefixed: string } | null> {
  const result = await db.execute<{ exact: string | null; prefixed: string | null }>(sql`
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

interface Hit {
  /** Lower is better. */
  score: number;
  id: number;
  position: number;
}

interface Candidate {
  id: number;
  session_id: string;
  position: number;
  rank: number;
}

/**
 * The newest matching messages, at most SEARCH_CANDIDATE_LIMIT + 1 (one more tells "too many"),
 * with their relevance, among the sessions this role may see. As on SQLite: a query matching more
 * messages than the limit is too common for relevance to mean much, and ranking every match would
 * cost time in proportion to them, so such a query ranks its newest matches by recency. Runs in
 * victor.search_candidates (drizzle/pg 0003): under row-level security a plain query could not use
 * the GIN index.
 */
async function newestMatches(db: PgExecutor, project: string, tsquery: string): Promise<Candidate[]> {
  const result = await db.execute<{ id: string; session_id: string; position: number; rank: number }>(
    sql`SELECT id, session_id, position, rank FROM victor.search_candidates(${project}, ${tsquery}::tsquery, ${SEARCH_CANDIDATE_LIMIT + 1})`,
  );
  return result.rows.map((row) => ({ ...row, id: Number(row.id) }));
}

/**
 * Scored candidates: exact words first (whole-word posting lists are cheaper than expanding a
 * prefix), then with prefixes when the exact words are not already too common.
 */
async function scoredCandidates(db: PgExecutor, project: string, queries: { exact: string; prefixed: string }): Promise<(Candidate & { score: number })[]> {
  const byRecency = (rows: Candidate[]) => rows.slice(0, SEARCH_CANDIDATE_LIMIT).map((row, i) => ({ ...row, score: i }));
  const exact = await newestMatches(db, project, queries.exact);
  if (exact.length > SEARCH_CANDIDATE_LIMIT) return byRecency(exact);
  const prefixed = queries.prefixed === queries.exact ? exact : await newestMatches(db, project, queries.prefixed);
  if (prefixed.length > SEARCH_CANDIDATE_LIMIT) return byRecency(prefixed);
  return prefixed.map((row) => ({ ...row, score: -row.rank }));
}

/** The best-matching message of each session among the candidates. */
async function contentHits(db: PgExecutor, project: string, terms: readonly SearchTerm[]): Promise<Map<string, Hit>> {
  const best = new Map<string, Hit>();
  const queries = await buildTsQueries(db, terms);
  if (!queries) return best;
  for (const { session_id, score, id, position } of await scoredCandidates(db, project, queries)) {
    const current = best.get(session_id);
    if (!current || score < current.score || (score === current.score && id > current.id)) best.set(session_id, { score, id, position });
  }
  return best;
}

/**
 * Search as on SQLite (see ../../search.ts): sessions whose folded title contains the query
 * first (newest first), then sessions by their best-matching message (ties: the newer match).
 * Only the returned sessions' summaries and snippet messages are read.
 */
export async function searchSessionsPg(db: PgExecutor, project: string, query: string, limit: number): Promise<SearchResult[]> {
  const terms = searchTerms(query);
  const pattern = titleLikePattern(query);
  if ((terms.length === 0 && pattern === null) || limit <= 0) return [];
  const titleIds = pattern
    ? (
        await db
          .select({ id: sessions.id })
          .from(sessions)
          .where(and(eq(sessions.project, project), like(sessions.search_title, pattern)))
          .orderBy(desc(sessions.updated_at))
          .limit(limit)
      ).map((r) => r.id)
    : [];
  const hits = terms.length > 0 && titleIds.length < limit ? await contentHits(db, project, terms) : new Map<string, Hit>();
  const byContent = [...hits.entries()]
    .filter(([id]) => !titleIds.includes(id))
    .sort(([, a], [, b]) => a.score - b.score || b.id - a.id)
    .map(([id]) => id);
  const ids = [...titleIds, ...byContent].slice(0, limit);
  if (ids.length === 0) return [];

  const summaries = await db.select(summaryColumns).from(sessions).where(and(eq(sessions.project, project), inArray(sessions.id, ids)));
  const rows = new Map(summaries.map((r) => [r.id, toSummaryRow(r)]));
  const snippetIds = ids.flatMap((id) => {
    const hit = hits.get(id);
    return hit ? [hit.id] : [];
  });
  const contents =
    snippetIds.length === 0
      ? new Map<number, string | null>()
      : new Map(
          (await db.select({ id: messages.id, content: messages.content }).from(messages).where(and(eq(messages.project, project), inArray(messages.id, snippetIds)))).map(
            (r) => [r.id, r.content],
          ),
        );
  const words = terms.map((t) => t.text);
  return ids.flatMap((id) => {
    const row = rows.get(id);
    if (!row) return [];
    const hit = hits.get(id);
    const content = hit ? contents.get(hit.id) : null;
    return [{ ...toSummary(row), snippet: content ? makeSnippet(content, words) : row.name, matchPosition: hit?.position ?? null }];
  });
}

import type Database from "better-sqlite3";
import { foldForSearch } from "../../domain/fold.js";
import { toSummary, type SummaryRow } from "../../domain/session-data.js";
import { makeSnippet } from "../../domain/snippet.js";
import type { SearchResult } from "../../domain/types.js";

/**
 * How many matching messages a search looks at, newest first. A word found in fewer messages is
 * ranked exactly (bm25 over all of them); a word found in more is too common for relevance to
 * mean much, and ranking 100,000+ matches costs ~200 ms, so its sessions come newest-match first.
 */
export const SEARCH_CANDIDATE_LIMIT = 1000;

/**
 * Turns what a user typed into a safe FTS5 query. User text is data, never syntax: every word is
 * quoted (so `AND`, `NEAR(`, `*`, `foo:bar` are plain words) and matched as a prefix (`auth` finds
 * `authentication`); "quoted phrases" stay phrases; `CI/CD` becomes the phrase "ci cd". Chunks with
 * no letter or digit cannot match a word and are dropped. Returns null when nothing is left.
 */
export function toFtsQuery(input: string, options: { prefixes?: boolean } = {}): string | null {
  const prefixes = options.prefixes ?? true;
  const quote = (t: Term): string => `"${t.text.replace(/"/g, '""')}"${prefixes && !t.phrase ? "*" : ""}`;
  return searchTerms(input).map(quote).join(" ") || null;
}

const SUMMARY = `id, name, model, provider, profile, message_count, created_at, updated_at, parent_id, revision, json_extract(data, '$.tags') AS tags, json_array_length(data, '$.conversation.preview_messages') AS preview_count`;

function prepareSearchStatements(sqlite: Database.Database) {
  return {
    newest: sqlite.prepare(`SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid DESC LIMIT ?`).pluck(),
    ranked: sqlite.prepare(`SELECT rowid, bm25(messages_fts) AS score FROM messages_fts WHERE messages_fts MATCH ?`),
    locate: sqlite.prepare(`SELECT m.id, m.session_id, m.position FROM json_each(?) AS j JOIN messages m ON m.id = j.value`),
    titles: sqlite.prepare(`SELECT id FROM sessions WHERE search_title LIKE ? ESCAPE '\\' ORDER BY updated_at DESC LIMIT ?`).pluck(),
    summaries: sqlite.prepare(`SELECT ${SUMMARY} FROM sessions WHERE id IN (SELECT value FROM json_each(?))`),
    content: sqlite.prepare(`SELECT content FROM messages WHERE id = ?`).pluck(),
    // A database opened read-only before migration 0005 has no preview index: no preview matches.
    previews: sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'preview_fts'`).get()
      ? sqlite.prepare(`SELECT session_id, content FROM preview_fts WHERE preview_fts MATCH ? ORDER BY bm25(preview_fts) LIMIT ?`)
      : null,
  };
}

type SearchStatements = ReturnType<typeof prepareSearchStatements>;

// Prepared once per connection: preparing an FTS5 query costs more than running it.
const statementCache = new WeakMap<Database.Database, SearchStatements>();

function statementsFor(sqlite: Database.Database): SearchStatements {
  let statements = statementCache.get(sqlite);
  if (!statements) {
    statements = prepareSearchStatements(sqlite);
    statementCache.set(sqlite, statements);
  }
  return statements;
}

interface Term {
  text: string;
  phrase: boolean;
}

function searchTerms(input: string): Term[] {
  const terms: Term[] = [];
  for (const match of input.matchAll(/"([^"]*)"|(\S+)/g)) {
    const text = match[1] ?? match[2] ?? "";
    if (/[\p{L}\p{N}]/u.test(text)) terms.push({ text, phrase: match[1] !== undefined });
  }
  return terms;
}

/** A LIKE pattern for a substring of the folded title; %, _ and \ in user text are literal. */
export function titleLikePattern(input: string): string | null {
  const folded = foldForSearch(input.replace(/"/g, " ").replace(/\s+/g, " ").trim());
  if (folded === "") return null;
  return `%${folded.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

interface Hit {
  score: number;
  rowid: number;
  position: number;
}

/** The newest matching message ids, at most SEARCH_CANDIDATE_LIMIT + 1 (one more tells "too many"). */
function newestMatches(sqlite: Database.Database, fts: string): number[] {
  return statementsFor(sqlite).newest.all(fts, SEARCH_CANDIDATE_LIMIT + 1) as number[];
}

/**
 * The messages to rank, with scores (lower = better). The exact words are tried first because a
 * prefix query must merge every matching term's list (~5 ms for a common word) while the exact
 * word's newest matches come straight off the index (~0.2 ms).
 */
function scoredCandidates(sqlite: Database.Database, query: string): { rowid: number; score: number }[] {
  const byRecency = (rowids: number[]) => rowids.slice(0, SEARCH_CANDIDATE_LIMIT).map((rowid, i) => ({ rowid, score: i }));
  const exact = newestMatches(sqlite, toFtsQuery(query, { prefixes: false })!);
  if (exact.length > SEARCH_CANDIDATE_LIMIT) return byRecency(exact);
  const fts = toFtsQuery(query)!;
  const withPrefixes = newestMatches(sqlite, fts);
  if (withPrefixes.length > SEARCH_CANDIDATE_LIMIT) return byRecency(withPrefixes);
  return statementsFor(sqlite).ranked.all(fts) as {
    rowid: number;
    score: number;
  }[];
}

/** The best-matching message of each session among the candidates (lower score = better). */
function contentHits(sqlite: Database.Database, query: string): Map<string, Hit> {
  const scored = scoredCandidates(sqlite, query);
  const located = statementsFor(sqlite)
    .locate.all(JSON.stringify(scored.map((s) => s.rowid))) as { id: number; session_id: string; position: number }[];
  const where = new Map(located.map((r) => [r.id, r]));
  const best = new Map<string, Hit>();
  for (const { rowid, score } of scored) {
    const message = where.get(rowid);
    if (!message) continue;
    const current = best.get(message.session_id);
    if (!current || score < current.score) best.set(message.session_id, { score, rowid, position: message.position });
  }
  return best;
}


/**
 * Sessions whose title contains the query come first (newest first), then sessions by their
 * best-matching message (ties: the newer match). Only the returned sessions' rows and snippets
 * are read.
 */
export function searchSessions(sqlite: Database.Database, query: string, limit: number): SearchResult[] {
  const terms = searchTerms(query);
  const like = titleLikePattern(query);
  if ((terms.length === 0 && like === null) || limit <= 0) return [];
  const statements = statementsFor(sqlite);
  const titleIds = like ? (statements.titles.all(like, limit) as string[]) : [];
  const hits = terms.length > 0 && titleIds.length < limit ? contentHits(sqlite, query) : new Map<string, Hit>();
  const byContent = [...hits.entries()]
    .filter(([id]) => !titleIds.includes(id))
    .sort(([, a], [, b]) => a.score - b.score || b.rowid - a.rowid)
    .map(([id]) => id);
  // Preview sidecars (file previews shown in a chat) rank after the conversation itself.
  const previewHits = new Map<string, string>();
  if (terms.length > 0 && statements.previews && titleIds.length + byContent.length < limit) {
    for (const row of statements.previews.all(toFtsQuery(query)!, limit) as { session_id: string; content: string }[]) {
      if (!titleIds.includes(row.session_id) && !hits.has(row.session_id) && !previewHits.has(row.session_id)) previewHits.set(row.session_id, row.content);
    }
  }
  const ids = [...titleIds, ...byContent, ...previewHits.keys()].slice(0, limit);
  if (ids.length === 0) return [];
  const rows = new Map((statements.summaries.all(JSON.stringify(ids)) as SummaryRow[]).map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const row = rows.get(id);
    if (!row) return [];
    const hit = hits.get(id);
    const content = hit ? (statements.content.get(hit.rowid) as string | null) : (previewHits.get(id) ?? null);
    return [{ ...toSummary(row), snippet: content ? makeSnippet(content, terms.map((t) => t.text)) : row.name, matchPosition: hit?.position ?? null }];
  });
}

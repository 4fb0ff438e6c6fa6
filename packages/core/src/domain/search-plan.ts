import { foldForSearch } from "./fold.js";
import { searchTerms, type SearchTerm } from "./search-terms.js";
import { toSummary, type SummaryRow } from "./session-data.js";
import { makeSnippet } from "./snippet.js";
import type { SearchResult } from "./types.js";

/**
 * Search, the same on every engine: sessions whose folded title contains the query come first
 * (newest first), then sessions by their best-matching message (ties: the newer match), then
 * sessions whose preview sidecars match. Only the returned sessions' summaries and snippet
 * messages are read. The engine answers the questions of SearchSource with its own index
 * (SQLite: FTS5; PostgreSQL: tsvector); user text only ever reaches it as data.
 */

/**
 * How many matching messages a search looks at, newest first. A word found in fewer messages is
 * ranked exactly (over all of them); a word found in more is too common for relevance to mean
 * much, and ranking 100,000+ matches costs ~200 ms, so its sessions come newest-match first.
 */
export const SEARCH_CANDIDATE_LIMIT = 1000;

/** A matching message; `score`: lower is better. */
export interface ContentMatch {
  messageId: number;
  sessionId: string;
  position: number;
  score: number;
}

export interface SearchSource {
  /** Ids of sessions whose search_title matches the LIKE pattern, newest first. */
  titleMatches(pattern: string, limit: number): Promise<string[]>;
  /** The candidate messages, scored (see chooseCandidates). */
  contentMatches(terms: readonly SearchTerm[]): Promise<ContentMatch[]>;
  /** Sessions whose preview sidecars match, best first, with the text that matched. */
  previewMatches(terms: readonly SearchTerm[], limit: number): Promise<{ sessionId: string; content: string }[]>;
  summaries(ids: readonly string[]): Promise<SummaryRow[]>;
  messageContents(messageIds: readonly number[]): Promise<Map<number, string | null>>;
}

/**
 * The candidates to rank: exact words first, because a prefix query must merge every matching
 * term's list while the exact word's newest matches come straight off the index; then with
 * prefixes; `ranked` scores them when there are at most SEARCH_CANDIDATE_LIMIT. `newest` returns
 * up to SEARCH_CANDIDATE_LIMIT + 1 matches, newest first (one more tells "too many").
 */
export async function chooseCandidates<T>(
  newest: (prefixes: boolean) => Promise<T[]>,
  ranked: (prefixed: T[]) => Promise<(T & { score: number })[]>,
): Promise<(T & { score: number })[]> {
  const byRecency = (rows: T[]) => rows.slice(0, SEARCH_CANDIDATE_LIMIT).map((row, i) => ({ ...row, score: i }));
  const exact = await newest(false);
  if (exact.length > SEARCH_CANDIDATE_LIMIT) return byRecency(exact);
  const prefixed = await newest(true);
  if (prefixed.length > SEARCH_CANDIDATE_LIMIT) return byRecency(prefixed);
  return ranked(prefixed);
}

/** A LIKE pattern for a substring of the folded title; %, _ and \ in user text are literal (ESCAPE '\'). */
export function titleLikePattern(input: string): string | null {
  const folded = foldForSearch(input.replace(/"/g, " ").replace(/\s+/g, " ").trim());
  if (folded === "") return null;
  return `%${folded.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The best-matching message of each session (ties: the newer message). */
function bestPerSession(matches: readonly ContentMatch[]): Map<string, ContentMatch> {
  const best = new Map<string, ContentMatch>();
  for (const match of matches) {
    const current = best.get(match.sessionId);
    if (!current || match.score < current.score || (match.score === current.score && match.messageId > current.messageId)) best.set(match.sessionId, match);
  }
  return best;
}

export async function searchSessions(source: SearchSource, query: string, limit: number): Promise<SearchResult[]> {
  const terms = searchTerms(query);
  const pattern = titleLikePattern(query);
  if ((terms.length === 0 && pattern === null) || limit <= 0) return [];
  const titleIds = pattern ? await source.titleMatches(pattern, limit) : [];
  const inTitles = new Set(titleIds);
  const hits = terms.length > 0 && titleIds.length < limit ? bestPerSession(await source.contentMatches(terms)) : new Map<string, ContentMatch>();
  const byContent = [...hits.values()]
    .filter((hit) => !inTitles.has(hit.sessionId))
    .sort((a, b) => a.score - b.score || b.messageId - a.messageId)
    .map((hit) => hit.sessionId);
  // Preview sidecars (file previews shown in a chat) rank after the conversation itself.
  const previewHits = new Map<string, string>();
  if (terms.length > 0 && titleIds.length + byContent.length < limit) {
    for (const { sessionId, content } of await source.previewMatches(terms, limit)) {
      if (!inTitles.has(sessionId) && !hits.has(sessionId) && !previewHits.has(sessionId)) previewHits.set(sessionId, content);
    }
  }
  const ids = [...titleIds, ...byContent, ...previewHits.keys()].slice(0, limit);
  if (ids.length === 0) return [];
  const rows = new Map((await source.summaries(ids)).map((row) => [row.id, row]));
  const snippetIds = ids.flatMap((id) => {
    const hit = hits.get(id);
    return hit ? [hit.messageId] : [];
  });
  const contents = snippetIds.length > 0 ? await source.messageContents(snippetIds) : new Map<number, string | null>();
  const words = terms.map((t) => t.text);
  return ids.flatMap((id) => {
    const row = rows.get(id);
    if (!row) return [];
    const hit = hits.get(id);
    const content = hit ? (contents.get(hit.messageId) ?? null) : (previewHits.get(id) ?? null);
    return [{ ...toSummary(row), snippet: content ? makeSnippet(content, words) : row.name, matchPosition: hit?.position ?? null }];
  });
}

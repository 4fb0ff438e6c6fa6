import type Database from "better-sqlite3";
import { foldForSearch } from "./fold.js";
import { toSummary, type SummaryRow } from "./session-data.js";
import type { SearchResult } from "./types.js";

/**
 * Turns what a user typed into a safe FTS5 query. User text is data, never syntax: every word is
 * quoted (so `AND`, `NEAR(`, `*`, `foo:bar` are plain words) and matched as a prefix (`auth` finds
 * `authentication`); "quoted phrases" stay phrases; `CI/CD` becomes the phrase "ci cd". Chunks with
 * no letter or digit cannot match a word and are dropped. Returns null when nothing is left.
 */
export function toFtsQuery(input: string): string | null {
  const terms: string[] = [];
  for (const match of input.matchAll(/"([^"]*)"|(\S+)/g)) {
    const phrase = match[1];
    const text = phrase ?? match[2] ?? "";
    if (!/[\p{L}\p{N}]/u.test(text)) continue;
    const quoted = `"${text.replace(/"/g, '""')}"`;
    terms.push(phrase === undefined ? `${quoted}*` : quoted);
  }
  return terms.length > 0 ? terms.join(" ") : null;
}

/** A LIKE pattern for a substring of the folded title; %, _ and \ in user text are literal. */
export function titleLikePattern(input: string): string | null {
  const folded = foldForSearch(input.replace(/"/g, " ").replace(/\s+/g, " ").trim());
  if (folded === "") return null;
  return `%${folded.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const SUMMARY = `s.id, s.name, s.model, s.provider, s.profile, s.message_count, s.created_at, s.updated_at,
  s.parent_id, s.revision, json_extract(s.data, '$.tags') AS tags`;

/**
 * Sessions whose title contains the query come first, then sessions by their best-matching message
 * (bm25), then the newest. The snippet is cut only for the rows returned.
 */
export function searchSessions(sqlite: Database.Database, query: string, limit: number): SearchResult[] {
  const fts = toFtsQuery(query);
  const like = titleLikePattern(query);
  if (fts === null && like === null) return [];
  // bm25() cannot sit inside an aggregate: rank each matching message first, then keep each
  // session's best (SQLite's min() carries the other columns of the row it picked).
  const contentHits = fts
    ? `ranked AS MATERIALIZED (SELECT rowid AS mid, bm25(messages_fts) AS score FROM messages_fts WHERE messages_fts MATCH @fts),
       hits AS (SELECT m.session_id AS session_id, min(x.score) AS score, x.mid AS best_rowid, m.position AS best_position
         FROM ranked AS x JOIN messages m ON m.id = x.mid GROUP BY m.session_id)`
    : `hits AS (SELECT NULL AS session_id, NULL AS score, NULL AS best_rowid, NULL AS best_position WHERE 0)`;
  const titleHit = like ? `s.search_title LIKE @like ESCAPE '\\'` : "0";
  const rows = sqlite
    .prepare(
      `WITH ${contentHits}
       SELECT ${SUMMARY}, h.score, h.best_rowid, h.best_position, (${titleHit}) AS title_hit
       FROM sessions s LEFT JOIN hits h ON h.session_id = s.id
       WHERE h.session_id IS NOT NULL OR ${titleHit}
       ORDER BY title_hit DESC, h.score IS NULL, h.score, s.updated_at DESC
       LIMIT @limit`,
    )
    .all({ ...(fts ? { fts } : {}), ...(like ? { like } : {}), limit }) as (SummaryRow & {
    score: number | null;
    best_rowid: number | null;
    best_position: number | null;
    title_hit: number;
  })[];
  const snippetOf = fts
    ? sqlite.prepare(`SELECT snippet(messages_fts, 0, '[', ']', '…', 12) AS text FROM messages_fts WHERE messages_fts MATCH ? AND rowid = ?`)
    : null;
  return rows.map((row) => {
    const snippet =
      row.best_rowid !== null && snippetOf ? ((snippetOf.get(fts, row.best_rowid) as { text: string } | undefined)?.text ?? row.name) : row.name;
    return { ...toSummary(row), snippet, matchPosition: row.best_position };
  });
}

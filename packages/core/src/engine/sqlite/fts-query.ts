import { searchTerms, type SearchTerm } from "../../domain/search-terms.js";

/**
 * Turns what a user typed into a safe FTS5 query. User text is data, never syntax: every word is
 * quoted (so `AND`, `NEAR(`, `*`, `foo:bar` are plain words) and matched as a prefix (`auth` finds
 * `authentication`); "quoted phrases" stay phrases; `CI/CD` becomes the phrase "ci cd". Chunks with
 * no letter or digit cannot match a word and are dropped. Returns null when nothing is left.
 */
export function toFtsQuery(input: string | readonly SearchTerm[], options: { prefixes?: boolean } = {}): string | null {
  const prefixes = options.prefixes ?? true;
  const quote = (t: SearchTerm): string => `"${t.text.replace(/"/g, '""')}"${prefixes && !t.phrase ? "*" : ""}`;
  const terms = typeof input === "string" ? searchTerms(input) : input;
  return terms.map(quote).join(" ") || null;
}

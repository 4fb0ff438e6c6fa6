import { foldForSearch } from "./fold.js";

// Little text before the match and more after: narrow table columns show the start of a snippet.
const BEFORE = 24;
const AFTER = 72;

/** Words of the query as the index sees them: letters and digits, folded. */
function queryWords(terms: readonly string[]): string[] {
  return terms.flatMap((t) => foldForSearch(t).split(/[^\p{L}\p{N}]+/u)).filter((w) => w.length > 0);
}

/**
 * A short excerpt of `content` around the first match of any query word, the matched words in
 * [ ]. Folding is done per character so positions in the folded text map back to the original.
 */
export function makeSnippet(content: string, terms: readonly string[]): string {
  const words = queryWords(terms);
  const chars = Array.from(content);
  // ASCII folds to itself lower-cased, one char for one: skip the per-character Unicode work.
  const folded = /^[\t\n\r\x20-\x7e]*$/.test(content) ? content.toLowerCase().split("") : chars.map((ch) => foldForSearch(ch));
  const foldedText = folded.join("");
  const starts: number[] = [];
  let offset = 0;
  for (const f of folded) {
    starts.push(offset);
    offset += f.length;
  }
  const charAt = (foldedIndex: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= foldedIndex) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const marks: [number, number][] = [];
  for (const word of words) {
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}[\\p{L}\\p{N}]*`, "gu");
    for (const m of foldedText.matchAll(pattern)) marks.push([charAt(m.index), charAt(m.index + m[0].length - 1) + 1]);
  }
  const oneLine = (s: string): string => s.replace(/\s+/g, " ");
  if (marks.length === 0) return oneLine(chars.slice(0, BEFORE + AFTER).join("")) + (chars.length > BEFORE + AFTER ? "…" : "");
  marks.sort((a, b) => a[0] - b[0]);
  const from = Math.max(0, marks[0]![0] - BEFORE);
  const to = Math.min(chars.length, marks[0]![1] + AFTER);
  let out = "";
  let at = from;
  for (const [s, e] of marks) {
    if (s < at || e > to) continue;
    out += chars.slice(at, s).join("") + "[" + chars.slice(s, e).join("") + "]";
    at = e;
  }
  out += chars.slice(at, to).join("");
  return (from > 0 ? "…" : "") + oneLine(out).trim() + (to < chars.length ? "…" : "");
}

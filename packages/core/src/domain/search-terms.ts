/** One thing to find: a word (matched as a word prefix) or a "quoted phrase" (matched exactly). */
export interface SearchTerm {
  text: string;
  phrase: boolean;
}

/**
 * What a user typed, as terms: "quoted phrases" stay phrases, everything else splits on white
 * space. Chunks with no letter or digit cannot match a word and are dropped. The text of a term
 * is data for the engine to split into words, never query syntax.
 */
export function searchTerms(input: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  for (const match of input.matchAll(/"([^"]*)"|(\S+)/g)) {
    const text = match[1] ?? match[2] ?? "";
    if (/[\p{L}\p{N}]/u.test(text)) terms.push({ text, phrase: match[1] !== undefined });
  }
  return terms;
}

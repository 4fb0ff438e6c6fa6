import { UsageError } from "../errors.js";

/**
 * Splits a command line like a POSIX shell would: whitespace separates words, "double" and 'single'
 * quotes group (single quotes are literal), a backslash escapes the next character outside single
 * quotes. `/save "My Title"` → ["/save", "My Title"]. An unterminated quote is a UsageError.
 */
export function tokenize(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote === "'") {
      if (ch === "'") quote = null;
      else word += ch;
      continue;
    }
    if (ch === "\\") {
      const next = line[i + 1];
      if (next === undefined) throw new UsageError("Trailing backslash: nothing to escape.");
      // Inside double quotes a backslash only escapes ", \ (as in sh); elsewhere it escapes anything.
      if (quote === '"' && next !== '"' && next !== "\\") word += ch;
      word += next;
      inWord = true;
      i++;
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = null;
      else word += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) throw new UsageError(`Unterminated ${quote === '"' ? "double" : "single"} quote: close it with ${quote}.`);
  if (inWord) words.push(word);
  return words;
}

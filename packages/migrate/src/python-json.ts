/**
 * Python's `json.dump` writes `float("nan")`, `float("inf")` and `-inf` as the bare words `NaN`,
 * `Infinity` and `-Infinity` (its `allow_nan` defaults to true) and its `json.load` reads them back,
 * so the Python Victor wrote and reopened such files; JSON has no such values and `JSON.parse` stops
 * at the first one. Each one outside a string becomes `null`, and the result says where it was.
 */
const NON_FINITE = ["-Infinity", "Infinity", "NaN"] as const;

export interface NonFiniteRepair {
  text: string;
  /** One entry per replaced word: `NaN at line 3, column 12`. */
  replaced: string[];
}

/** The text with every non-finite number outside strings replaced by `null`, or null when it has none. */
export function replaceNonFiniteNumbers(text: string): NonFiniteRepair | null {
  const replaced: string[] = [];
  const parts: string[] = [];
  let copiedUpTo = 0;
  let line = 1;
  let lineStart = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x0a) {
      line++;
      lineStart = i + 1;
    } else if (inString) {
      if (ch === 0x5c) i++; // a backslash: the next character is escaped (JSON strings hold no raw newline)
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) {
      inString = true;
    } else if (ch === 0x2d || ch === 0x49 || ch === 0x4e) {
      const word = NON_FINITE.find((w) => text.startsWith(w, i));
      if (word) {
        replaced.push(`${word} at line ${line}, column ${i - lineStart + 1}`);
        parts.push(text.slice(copiedUpTo, i), "null");
        i += word.length - 1;
        copiedUpTo = i + 1;
      }
    }
  }
  if (replaced.length === 0) return null;
  parts.push(text.slice(copiedUpTo));
  return { text: parts.join(""), replaced };
}

/** The report's note for the replaced words (the first few named; a file may hold many). */
export function nonFiniteNote(replaced: string[]): string {
  const shown = replaced.slice(0, 3).join(", ");
  const more = replaced.length > 3 ? ` and ${replaced.length - 3} more` : "";
  return `Python wrote numbers JSON cannot hold (${shown}${more}): recovered, each stored as null`;
}

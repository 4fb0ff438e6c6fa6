import stringWidth from "string-width";

/**
 * Terminal cells a string takes, measured by `string-width` (emoji and ZWJ sequences, CJK, combining
 * marks; ANSI colour codes count as nothing).
 */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

// Made on first use: an Intl.Segmenter costs ~10 ms to create, and most text is plain ASCII.
let segmenter: Intl.Segmenter | undefined;
const graphemes = (): Intl.Segmenter => (segmenter ??= new Intl.Segmenter());

/** Cuts text to at most `max` cells on a grapheme boundary, ending with "…" when cut. Text without colour codes. */
export function truncateToWidth(text: string, max: number): string {
  if (max <= 0) return "";
  if (stringWidth(text) <= max) return text;
  let out = "";
  let width = 0;
  for (const { segment } of graphemes().segment(text)) {
    const w = stringWidth(segment);
    if (width + w > max - 1) break;
    out += segment;
    width += w;
  }
  return `${out}…`;
}

/** Pads with spaces to `width` cells (text wider than that is returned as it is). */
export function padToWidth(text: string, width: number, align: "left" | "right" = "left"): string {
  const pad = " ".repeat(Math.max(0, width - stringWidth(text)));
  return align === "right" ? pad + text : text + pad;
}

/** Splits one over-long word into pieces of at most `width` cells, on grapheme boundaries. */
function splitWord(word: string, width: number): string[] {
  const pieces: string[] = [];
  let piece = "";
  let used = 0;
  for (const { segment } of graphemes().segment(word)) {
    const w = stringWidth(segment);
    if (used + w > width && piece !== "") {
      pieces.push(piece);
      piece = "";
      used = 0;
    }
    piece += segment;
    used += w;
  }
  if (piece !== "") pieces.push(piece);
  return pieces;
}

/**
 * Word-wraps plain text to lines of at most `width` cells (words longer than a line are cut into
 * pieces). Existing newlines are kept. Without a width the text is returned as its lines.
 */
export function wrapToWidth(text: string, width: number | undefined): string[] {
  if (width === undefined) return text.split("\n");
  const max = Math.max(1, width);
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    let used = 0;
    for (const word of paragraph.split(/ +/)) {
      if (word === "") continue;
      for (const piece of stringWidth(word) > max ? splitWord(word, max) : [word]) {
        const w = stringWidth(piece);
        if (line === "") {
          line = piece;
          used = w;
        } else if (used + 1 + w > max) {
          lines.push(line);
          line = piece;
          used = w;
        } else {
          line += ` ${piece}`;
          used += 1 + w;
        }
      }
    }
    lines.push(line);
  }
  return lines;
}

/**
 * One line of a report (a path, a file's failure, a heading with a path) fitted to `width`: left as
 * it is when it fits (or without a width: a pipe), else wrapped with the continuation lines indented
 * two cells past the line's own indentation, so nothing is cut and each item stays recognisable.
 */
export function wrapIndented(text: string, width: number | undefined): string[] {
  if (width === undefined || stringWidth(text) <= width) return [text];
  const indent = /^ */.exec(text)![0];
  // Every line at the continuation's width: the first may end two cells early, none is ever too long.
  const lines = wrapToWidth(text.slice(indent.length), Math.max(1, width - indent.length - 2));
  return lines.map((line, i) => `${indent}${i === 0 ? "" : "  "}${line}`);
}

/** The terminal's width when the stream is one; undefined for a pipe or a file (no limit). */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number }): number | undefined {
  return stream.isTTY === true && typeof stream.columns === "number" && stream.columns > 0 ? stream.columns : undefined;
}

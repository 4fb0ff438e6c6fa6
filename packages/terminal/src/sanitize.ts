/**
 * Stored and model text is data, never terminal control. A session title, a message or a model's reply
 * can hold `ESC ]52` (clipboard write), `ESC ]0` (window title), `ESC [2J`, a bare `\r` that hides what
 * came before it, BEL, or a bidi override that reorders what the reader sees. Every such character is
 * replaced by a visible stand-in, so the text shows what it holds and can drive nothing:
 *
 * - C0 controls and DEL become their Control Pictures (`ESC` → `␛`, `BEL` → `␇`, `\r` → `␍`, NUL → `␀`);
 *   the rest of an escape sequence stays as plain, harmless text (`␛]52;c;…`).
 * - C1 controls (U+0080–U+009F: 8-bit CSI, OSC, …), bidi embeddings/overrides/isolates and the line and
 *   paragraph separators become `\u{…}` escapes.
 * - Newlines: kept in blocks of text (`\r\n` counts as one); in a table cell or other one-line field they
 *   become `⏎`, and tabs a space.
 */

const C0_PICTURE_BASE = 0x2400;

/** Bidi controls that reorder the text around them (Trojan Source), and ALM. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function escapeCodePoint(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

function visible(ch: string, oneLine: boolean): string {
  const cp = ch.codePointAt(0)!;
  if (ch === "\n") return oneLine ? "⏎" : "\n";
  if (ch === "\t") return oneLine ? " " : "\t";
  if (cp < 0x20) return String.fromCodePoint(C0_PICTURE_BASE + cp);
  if (cp === 0x7f) return "␡";
  if (cp === 0x2028 || cp === 0x2029) return oneLine ? "⏎" : escapeCodePoint(cp);
  return escapeCodePoint(cp);
}

// Everything the functions below replace: C0 (tab and newline included, decided per mode), DEL, C1,
// bidi controls and the Unicode line/paragraph separators.
// eslint-disable-next-line no-control-regex
const UNSAFE = /\r\n|[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** A block of text for the terminal (a message, a reply): newlines and tabs kept, every other control made visible. */
export function sanitizeText(text: string): string {
  return text.replace(UNSAFE, (match) => (match === "\r\n" ? "\n" : visible(match, false)));
}

/** One line for a table cell, a panel value or a list entry: newlines become `⏎`, tabs a space. */
export function sanitizeLine(text: string): string {
  return text.replace(UNSAFE, (match) => (match === "\r\n" ? "⏎" : visible(match, true)));
}

/** Whether text holds anything the sanitiser would replace (for tests and assertions). */
export function hasControlCharacters(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(text) || BIDI.test(text);
}

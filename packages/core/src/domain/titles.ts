import type { Message } from "./types.js";

export const UNTITLED = "Untitled Session";
const MAX_TITLE = 50;
const CUT_TITLE = 47;
/** Text whose first MAX_TITLE + 1 characters are printable ASCII (so it is longer than MAX_TITLE). */
const LONG_ASCII = new RegExp(`^[\\x20-\\x7e]{${MAX_TITLE + 1}}`);

/**
 * The automatic title: the first user message with whitespace collapsed, cut to 47 characters + "..."
 * when longer than 50. Cuts count code points and fall on grapheme boundaries, so an emoji, a flag
 * or CJK text is never split in half.
 */
export function deriveTitle(messages: readonly Message[]): string {
  const firstUser = messages.find((m) => typeof m === "object" && m !== null && m.role === "user" && typeof m.content === "string");
  const text = typeof firstUser?.content === "string" ? firstUser.content.replace(/\s+/g, " ").trim() : "";
  if (text === "") return UNTITLED;
  // A string has at least as many UTF-16 units as code points: short text needs no counting.
  if (text.length <= MAX_TITLE) return text;
  // Printable ASCII has a grapheme boundary between every two characters (the one after the cut
  // included): cut without segmenting, which cost a bulk import ~5%.
  if (LONG_ASCII.test(text)) return `${text.slice(0, CUT_TITLE)}...`;
  const chars = Array.from(text);
  return chars.length > MAX_TITLE ? `${cutAtGrapheme(text, CUT_TITLE)}...` : text;
}

// Made on first use: creating an Intl.Segmenter costs ~10 ms, paid by every start-up if made on load.
let segmenter: Intl.Segmenter | undefined;
const graphemes = (): Intl.Segmenter => (segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" }));

/** The longest run of whole graphemes (flags, ZWJ emoji stay whole) of at most `max` code points. */
function cutAtGrapheme(text: string, max: number): string {
  let out = "";
  let length = 0;
  // Segmenting is slow on long text; a few code points past the cut are all it needs to see.
  const head = Array.from(text).slice(0, max + 16).join("");
  for (const { segment } of graphemes().segment(head)) {
    const size = Array.from(segment).length;
    if (length + size > max) break;
    out += segment;
    length += size;
  }
  return out;
}

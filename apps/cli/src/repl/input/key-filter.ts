/**
 * In the input line, a line break is shown as ⏎ and a tab as ⇥: readline edits one line, and these
 * marks become "\n" and "\t" again when the line is sent (`expandMarks`).
 */
export const NEWLINE_MARK = "⏎";
export const TAB_MARK = "⇥";

export function expandMarks(line: string): string {
  return line.replaceAll(NEWLINE_MARK, "\n").replaceAll(TAB_MARK, "\t");
}

const PASTE_START = "\x1b[200~";
const PASTE_END = "\x1b[201~";
const ALT_ENTER = "\x1b\r";

// Escape sequences inside pasted text (colour codes copied from a terminal, …): dropped, as are
// other control characters. A paste is text, never keys: it must not move the cursor or submit.
// eslint-disable-next-line no-control-regex
const PASTED_ESCAPE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[PX^_][^\x1b]*(?:\x1b\\)?|.)?/g;
// eslint-disable-next-line no-control-regex
const PASTED_CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

/** The longest tail of `text` that is the start of one of `sequences` (to wait for the rest). */
function partialTail(text: string, sequences: readonly string[]): number {
  for (let n = Math.min(text.length, 6); n > 0; n--) {
    const tail = text.slice(-n);
    if (sequences.some((s) => s.length > n && s.startsWith(tail))) return n;
  }
  return 0;
}

/**
 * Rewrites what the terminal sends before readline sees it:
 * - a bracketed paste (`ESC[200~ … ESC[201~`) becomes one piece of text: its line breaks and tabs
 *   become marks, so a pasted stack trace is one message, not one message per line;
 * - Alt-Enter (`ESC CR`) becomes a line-break mark: the way to type a newline.
 * Sequences split across reads are held until complete.
 */
export class KeyFilter {
  private pasting = false;
  private pending = "";

  feed(chunk: string): string {
    let text = this.pending + chunk;
    this.pending = "";
    let out = "";
    while (text.length > 0) {
      if (this.pasting) {
        const end = text.indexOf(PASTE_END);
        const body = end === -1 ? text : text.slice(0, end);
        const keep = end === -1 ? partialTail(body, [PASTE_END]) : 0;
        out += cleanPaste(body.slice(0, body.length - keep));
        if (end === -1) {
          this.pending = body.slice(body.length - keep);
          return out;
        }
        this.pasting = false;
        text = text.slice(end + PASTE_END.length);
        continue;
      }
      const start = text.indexOf(PASTE_START);
      const typed = start === -1 ? text : text.slice(0, start);
      const keep = start === -1 ? partialTail(typed, [PASTE_START, ALT_ENTER]) : 0;
      out += typed.slice(0, typed.length - keep).replaceAll(ALT_ENTER, NEWLINE_MARK);
      if (start === -1) {
        this.pending = typed.slice(typed.length - keep);
        return out;
      }
      this.pasting = true;
      text = text.slice(start + PASTE_START.length);
    }
    return out;
  }
}

function cleanPaste(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, NEWLINE_MARK)
    .replaceAll("\t", TAB_MARK)
    .replace(PASTED_ESCAPE, "")
    .replace(PASTED_CONTROL, "");
}

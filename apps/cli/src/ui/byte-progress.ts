import { sanitizeLine, terminalWidth, truncateToWidth } from "@victor/terminal";
import type { Terminal } from "../io.js";
import { formatBytes } from "./format.js";

export interface ByteProgress {
  /** `done` of `total` bytes read in the step named `verb` ("Checking", "Importing"). */
  update(verb: string, done: number, total: number): void;
  /** Removes the line (before the result is printed). */
  clear(): void;
}

const REDRAW_MS = 100;

/**
 * One line on stderr, redrawn in place, when stderr is a terminal (none in a pipe, where it would
 * only be noise in a log): `Importing backup.json: 45% of 1.0 GB`, cut to the terminal's width.
 */
export function byteProgress(terminal: Terminal, name: string): ByteProgress | null {
  const stream = terminal.io.stderr;
  if (stream.isTTY !== true) return null;
  let last = 0;
  let shown = false;
  return {
    update(verb, done, total) {
      const now = Date.now();
      if (now - last < REDRAW_MS && done < total) return;
      last = now;
      const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
      const line = `${verb} ${sanitizeLine(name)}: ${percent}% of ${formatBytes(total)}`;
      terminal.writeErr(`\r${truncateToWidth(line, Math.max(1, (terminalWidth(stream) ?? 80) - 1))}\x1b[K`);
      shown = true;
    },
    clear() {
      if (shown) terminal.writeErr("\r\x1b[K");
      shown = false;
    },
  };
}

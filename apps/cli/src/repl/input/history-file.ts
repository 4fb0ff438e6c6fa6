import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** How many inputs are remembered. */
export const HISTORY_SIZE = 500;

/**
 * The chat's input history, kept per project beside its database (`.victor/input-history`), so ↑
 * recalls what was typed in earlier chats. One entry per line (multi-line inputs are stored with their
 * ⏎ marks), newest last; the file is private (0600): people paste secrets.
 */
export class HistoryFile {
  constructor(readonly path: string) {}

  /** Newest first, as readline wants it; empty when there is no file (or it cannot be read). */
  load(): string[] {
    try {
      return readFileSync(this.path, "utf8").split("\n").filter((l) => l !== "").reverse().slice(0, HISTORY_SIZE);
    } catch {
      return [];
    }
  }

  /** Saves readline's history (newest first). Written through a temporary file: never half a history. */
  save(history: readonly string[]): void {
    const dir = dirname(this.path);
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, `${history.slice(0, HISTORY_SIZE).toReversed().join("\n")}\n`, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.path);
  }
}

import type { SourceFile } from "../source-file.js";
import { isObject, parseJson, str, type Json } from "../values.js";

/**
 * Codex's thread rollback (the TUI's backtrack, an app's "edit message"): an
 * `event_msg` `{type: "thread_rolled_back", num_turns}` drops the last `num_turns` user turns, and
 * Codex rebuilds the history without them when it resumes (`drop_last_n_user_turns`). A user turn
 * starts at a user message that a person (not the harness) wrote, and runs to the next one.
 *
 * The lines a rollback dropped are found before the reading pass, because the messages they made
 * may already have been sent by the time the rollback comes. Most rollouts have none: one byte
 * search over the file decides that, and only a file that names the event is scanned line by line.
 * Turns are counted over the file's lines: a rollback reaching back past a compaction drops the
 * lines of those turns, as the history Codex rebuilt held them before it was compacted.
 */

/** Lines in [start, end) were rolled back by the rollback line that starts at `end`. */
export interface RolledBack {
  start: number;
  end: number;
}

const EVENT = "thread_rolled_back";
const NEEDLE = Buffer.from(`"${EVENT}"`);
const CHUNK = 1024 * 1024;

/** Harness text injected as a user message (environment, AGENTS.md, …): not a turn of its own. */
export function isInjectedText(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith("<") || t.startsWith("# AGENTS.md");
}

/** A response item that starts a user turn: a user message with something a person wrote or attached. */
function startsUserTurn(item: Json): boolean {
  if (item.type !== "message" || item.role !== "user") return false;
  const parts: unknown[] = typeof item.content === "string" ? [{ type: "input_text", text: item.content }] : Array.isArray(item.content) ? item.content : [];
  return parts.some((p) => isObject(p) && (typeof p.text === "string" ? !isInjectedText(p.text) : p.type === "input_image"));
}

async function mentionsRollback(file: SourceFile): Promise<boolean> {
  for (let at = 0; at < file.size; at += CHUNK - NEEDLE.length) {
    const bytes = await file.read(at, Math.min(file.size, at + CHUNK));
    if (bytes.includes(NEEDLE)) return true;
    if (at + CHUNK >= file.size) break;
  }
  return false;
}

/** The ranges of lines rolled back, in file order (empty for almost every file). */
export async function findRollbacks(file: SourceFile): Promise<RolledBack[]> {
  if (!(await mentionsRollback(file))) return [];
  const turns: number[] = [];
  const ranges: RolledBack[] = [];
  for await (const line of file.scanLines()) {
    const text = line.text;
    if (text === null || !(text.includes('"user"') || text.includes(EVENT))) continue;
    const parsed = parseJson(text);
    if (!parsed.ok || !isObject(parsed.value)) continue;
    const value = parsed.value;
    const type = str(value.type);
    const payload = isObject(value.payload) ? value.payload : null;
    if (type === "event_msg" && payload?.type === EVENT) {
      const n = typeof payload.num_turns === "number" ? Math.floor(payload.num_turns) : 0;
      if (n <= 0 || turns.length === 0) continue;
      const from = turns.length - Math.min(n, turns.length);
      ranges.push({ start: turns[from]!, end: line.start });
      turns.length = from;
      continue;
    }
    const item = type === "response_item" ? payload : value.payload === undefined ? value : null;
    if (item && startsUserTurn(item)) turns.push(line.start);
  }
  return ranges;
}

/** Whether the line starting at `offset` was rolled back. */
export function isRolledBack(ranges: readonly RolledBack[], offset: number): boolean {
  return ranges.some((r) => offset >= r.start && offset < r.end);
}

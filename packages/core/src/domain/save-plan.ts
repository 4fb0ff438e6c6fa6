import { InvalidSessionDataError } from "./errors.js";
import { foldForSearch } from "./fold.js";
import { assertValidSessionId } from "./ids.js";
import { encodeMessage, sameRow, type MessageRow } from "./message-codec.js";
import { buildDataColumn, type SessionDataColumn } from "./session-data.js";
import type { Snapshot } from "./snapshot-cache.js";
import { toIsoUtc } from "./time.js";
import { deriveTitle } from "./titles.js";
import type { Message, SaveSessionInput } from "./types.js";

/**
 * The parts of a save that do not depend on the engine: checking the input, the title and data
 * column it gets, and how many leading messages are stored already (the prefix diff that makes a
 * re-save cost what changed, not the session's size).
 */

export const TOO_DEEP = "A value in the session is nested too deeply to store (thousands of levels).";

export function validateInput(input: SaveSessionInput): void {
  if (!input || typeof input !== "object") throw new InvalidSessionDataError("saveSession needs an object.");
  if (!input.conversation || !Array.isArray(input.conversation.messages)) {
    throw new InvalidSessionDataError("saveSession needs conversation.messages to be an array.");
  }
  if (input.sessionId !== undefined) assertValidSessionId(input.sessionId);
  if (input.parentId) assertValidSessionId(input.parentId);
  if (input.title !== undefined && typeof input.title !== "string") throw new InvalidSessionDataError("The title must be text.");
  if (input.tags !== undefined && (!Array.isArray(input.tags) || input.tags.some((t) => typeof t !== "string"))) {
    throw new InvalidSessionDataError("Tags must be a list of strings.");
  }
  if (input.keepMessages !== undefined && (!Number.isInteger(input.keepMessages) || input.keepMessages < 0)) {
    throw new InvalidSessionDataError("keepMessages must be a whole number of at least 0.");
  }
}

/** JSON.stringify recurses: a value nested ~10,000 levels deep ends in a RangeError. It is bad input. */
export function withDepthGuard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof RangeError) throw new InvalidSessionDataError(TOO_DEEP);
    throw error;
  }
}

/**
 * The checks a save makes before writing, without writing: what --dry-run needs to report the
 * same failures a real import would have.
 */
export function checkSaveInput(input: SaveSessionInput): void {
  withDepthGuard(() => {
    validateInput(input);
    const kept = input.keepMessages ?? 0;
    input.conversation.messages.forEach((m, i) => encodeMessage(m, kept + i));
    normaliseTime(input.createdAt, "", "createdAt");
    normaliseTime(input.updatedAt, "", "updatedAt");
    JSON.stringify(buildDataColumn(input, false, null));
  });
}

export function normaliseTime(value: string | undefined, fallback: string, what: string): string {
  if (value === undefined) return fallback;
  const iso = typeof value === "string" ? toIsoUtc(value) : null;
  if (iso === null) throw new InvalidSessionDataError(`${what} is not a date: ${JSON.stringify(value)}`);
  return iso;
}

/** The stored session a save starts from, as far as title and data are concerned. */
export interface InheritedSession {
  name: string;
  data: SessionDataColumn;
}

/**
 * The title a save stores and whether it is the user's: a given title wins (empty = derive again);
 * otherwise a custom stored title stays, and so does the stored one of a chunk that keeps messages
 * (it does not hold the first user message); else the title derived from the messages.
 */
export function titleFor(input: SaveSessionInput, inherited: InheritedSession | null): { title: string; custom: boolean } {
  const kept = input.keepMessages ?? 0;
  const custom = input.title !== undefined ? input.title.trim() !== "" : inherited?.data.title_is_custom === true;
  if (input.title !== undefined && input.title.trim() !== "") return { title: input.title.trim(), custom };
  if ((custom || kept > 0) && inherited) return { title: inherited.name, custom };
  return { title: deriveTitle(input.conversation.messages), custom };
}

/** The search form of a title: folded, for substring search on every engine. */
export const searchTitle = foldForSearch;

/**
 * How many leading messages are already stored unchanged. With a snapshot of this very stored
 * state the comparison is by object identity (O(1) per message, no serialisation; the last known
 * message is compared by content, which catches a reply streamed into place); without one the
 * stored rows are read from where identity stops and compared to the new encoding.
 */
export async function storedPrefixLength(
  stored: { revision: number; incarnation: string; message_count: number },
  snapshot: Snapshot | undefined,
  next: readonly Message[],
  encode: (position: number) => MessageRow,
  readFrom: (position: number) => Promise<readonly MessageRow[]>,
): Promise<number> {
  const fresh =
    snapshot !== undefined && snapshot.revision === stored.revision && snapshot.incarnation === stored.incarnation && snapshot.messages.length === stored.message_count;
  let k = 0;
  if (fresh) {
    const limit = Math.min(snapshot.messages.length, next.length);
    while (k < limit && snapshot.messages[k] === next[k]) k++;
    if (k === snapshot.messages.length) {
      if (k > 0 && snapshot.lastEncoded !== JSON.stringify(encode(k - 1))) k--;
      return k;
    }
  }
  return matchingRows(k, Math.min(stored.message_count, next.length), encode, readFrom);
}

/** From position `from`, how far the stored rows equal the new encoding (up to `limit`). */
export async function matchingRows(
  from: number,
  limit: number,
  encode: (position: number) => MessageRow,
  readFrom: (position: number) => Promise<readonly MessageRow[]>,
): Promise<number> {
  let k = from;
  if (k >= limit) return k;
  for (const row of await readFrom(k)) {
    if (k >= limit || !sameRow(row, encode(k))) break;
    k++;
  }
  return k;
}

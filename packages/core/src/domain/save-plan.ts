import { InvalidSessionDataError } from "./errors.js";
import { foldForSearch } from "./fold.js";
import { assertValidSessionId } from "./ids.js";
import { encodeMessage } from "./message-codec.js";
import { buildDataColumn, type SessionDataColumn } from "./session-data.js";
import { toIsoUtc } from "./time.js";
import { CONTEXT_CHANGE_KINDS } from "./context-history.js";
import type { ContextChangeRequest, SaveSessionInput } from "./types.js";

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
  if (input.forkPoint !== undefined && (!Number.isInteger(input.forkPoint) || input.forkPoint < 0)) {
    throw new InvalidSessionDataError("forkPoint must be a whole number of at least 0.");
  }
  const change = input.contextChange;
  if (change !== undefined) {
    const described = (c: ContextChangeRequest | undefined): boolean =>
      c === undefined || (CONTEXT_CHANGE_KINDS.includes(c.kind) && (c.through === undefined || (Number.isInteger(c.through) && c.through >= 0)));
    const valid = change.kind === "undo" ? Number.isInteger(change.epoch) && change.epoch > 0 && described(change.then) : described(change);
    if (!valid) throw new InvalidSessionDataError(`contextChange is not one this store knows: ${JSON.stringify(change)}.`);
  }
  if (input.history !== undefined && input.keepMessages !== undefined) throw new InvalidSessionDataError("A save with a history describes the whole session: it cannot keep stored messages.");
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
 * (it does not hold the first user message); else the derived title (`derive`: from the first user
 * message the session ever had, which a compaction may have taken out of the context).
 */
export async function titleFor(input: SaveSessionInput, inherited: InheritedSession | null, derive: () => Promise<string>): Promise<{ title: string; custom: boolean }> {
  const kept = input.keepMessages ?? 0;
  const custom = input.title !== undefined ? input.title.trim() !== "" : inherited?.data.title_is_custom === true;
  if (input.title !== undefined && input.title.trim() !== "") return { title: input.title.trim(), custom };
  if ((custom || kept > 0) && inherited) return { title: inherited.name, custom };
  return { title: await derive(), custom };
}

/** The search form of a title: folded, for substring search on every engine. */
export const searchTitle = foldForSearch;

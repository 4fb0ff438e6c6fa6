import type { Connection } from "./engine/sqlite/connection.js";
import { InvalidSessionDataError, SessionConflictError, SessionExistsError } from "./domain/errors.js";
import { foldForSearch } from "./domain/fold.js";
import { assertValidSessionId, suffixedSessionId, timestampSessionId } from "./domain/ids.js";
import { encodeMessage, sameRow, type MessageRow } from "./domain/message-codec.js";
import { previewText, updatePreviewIndex } from "./engine/sqlite/preview-index.js";
import { buildDataColumn } from "./domain/session-data.js";
import type { Snapshot, SnapshotCache } from "./domain/snapshot-cache.js";
import type { Statements } from "./engine/sqlite/access.js";
import { isoNow, toIsoUtc } from "./domain/time.js";
import { deriveTitle } from "./domain/titles.js";
import type { Message, SaveSessionInput, SaveSessionResult } from "./domain/types.js";

export const TOO_DEEP = "A value in the session is nested too deeply to store (thousands of levels).";

export interface SaveContext {
  conn: Connection;
  statements: Statements;
  snapshots: SnapshotCache;
}

function validateInput(input: SaveSessionInput): void {
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

/**
 * The checks a save makes before writing, without writing: what --dry-run needs to report the
 * same failures a real import would have.
 */
export function checkSaveInput(input: SaveSessionInput): void {
  try {
    validateInput(input);
    const kept = input.keepMessages ?? 0;
    input.conversation.messages.forEach((m, i) => encodeMessage(m, kept + i));
    normaliseTime(input.createdAt, "", "createdAt");
    normaliseTime(input.updatedAt, "", "updatedAt");
    JSON.stringify(buildDataColumn(input, false, null));
  } catch (error) {
    if (error instanceof RangeError) throw new InvalidSessionDataError(TOO_DEEP);
    throw error;
  }
}

function normaliseTime(value: string | undefined, fallback: string, what: string): string {
  if (value === undefined) return fallback;
  const iso = typeof value === "string" ? toIsoUtc(value) : null;
  if (iso === null) throw new InvalidSessionDataError(`${what} is not a date: ${JSON.stringify(value)}`);
  return iso;
}

/** First id of `base`, `base_2`, … that is free. Runs inside the write transaction, so no race. */
export function allocateId(ctx: SaveContext, base: string): string {
  for (let attempt = 1; ; attempt++) {
    const candidate = suffixedSessionId(base, attempt);
    if (ctx.statements.sessionExists.get({ id: candidate }) === undefined) return candidate;
  }
}

/**
 * How many leading messages are already stored unchanged. With a snapshot of this revision the
 * comparison is by object identity (O(1) per message, no serialisation); without one the stored
 * rows are read and compared to the new encoding.
 */
function storedPrefixLength(
  ctx: SaveContext,
  head: { id: string; revision: number; message_count: number; created_at: string },
  next: readonly Message[],
  encode: (i: number) => MessageRow,
): number {
  const id = head.id;
  const snapshot = ctx.snapshots.get(id);
  // created_at too: a session deleted and re-created elsewhere starts again at revision 1.
  const fresh = snapshot && snapshot.revision === head.revision && snapshot.createdAt === head.created_at && snapshot.messages.length === head.message_count;
  let k = 0;
  if (fresh) {
    const limit = Math.min(snapshot.messages.length, next.length);
    while (k < limit && snapshot.messages[k] === next[k]) k++;
    if (k === snapshot.messages.length) {
      if (k > 0 && snapshot.lastEncoded !== JSON.stringify(encode(k - 1))) k--;
      return k;
    }
  }
  // No usable snapshot, or equal-but-new objects (a clone): compare the rest with the stored rows.
  const limit = Math.min(head.message_count, next.length);
  if (k >= limit) return k;
  for (const row of ctx.statements.messagesFrom.all({ id, from: k }) as MessageRow[]) {
    if (k >= limit || !sameRow(row, encode(k))) break;
    k++;
  }
  return k;
}

/**
 * With `keepMessages`: how many messages are already stored unchanged, comparing the stored rows
 * from the kept position on with the given ones (a re-sent last message is not rewritten).
 */
function keptPrefixLength(ctx: SaveContext, head: { id: string; message_count: number }, keep: number, total: number, encode: (i: number) => MessageRow): number {
  let k = keep;
  const limit = Math.min(head.message_count, total);
  if (k >= limit) return k;
  for (const row of ctx.statements.messagesFrom.all({ id: head.id, from: k }) as MessageRow[]) {
    if (k >= limit || !sameRow(row, encode(k))) break;
    k++;
  }
  return k;
}

export interface SaveOutcome {
  result: SaveSessionResult;
  /**
   * To remember once the transaction has committed (never before: it could still roll back); null
   * for a chunk of a long import, whose earlier messages this process does not hold.
   */
  snapshot: Snapshot | null;
}

/** The highest message id so far: every id above it is written by the current transaction. */
export function lastMessageId(ctx: SaveContext): number {
  return ctx.statements.lastMessageId.get()?.id ?? 0;
}

/**
 * Writes one session. With `indexNow: false` the caller indexes the new messages itself (one
 * statement for a whole import batch) with `ctx.statements.indexMessagesAfter` before committing.
 */
export function saveSessionInTransaction(ctx: SaveContext, input: SaveSessionInput, options: { indexNow?: boolean } = {}): SaveOutcome {
  try {
    return writeSession(ctx, input, options);
  } catch (error) {
    // JSON.stringify recurses: a value nested ~10,000 levels deep (a hostile or broken file) ends in
    // a RangeError. It is bad input, like any other, not a crash of the whole import.
    if (error instanceof RangeError) throw new InvalidSessionDataError(TOO_DEEP);
    throw error;
  }
}

function writeSession(ctx: SaveContext, input: SaveSessionInput, options: { indexNow?: boolean }): SaveOutcome {
  validateInput(input);
  const messages = input.conversation.messages;
  // Positions below `kept` are stored already and not part of the input (see keepMessages).
  const kept = input.keepMessages ?? 0;
  const total = kept + messages.length;
  const encoded: (MessageRow | undefined)[] = new Array(messages.length);
  const encode = (position: number): MessageRow => (encoded[position - kept] ??= encodeMessage(messages[position - kept]!, position));
  const now = isoNow();
  const head = input.sessionId === undefined ? undefined : ctx.statements.sessionHead.get({ id: input.sessionId });

  if (head && input.createOnly) throw new SessionExistsError(head.id);
  if (kept > 0 && (!head || head.message_count < kept)) {
    throw new InvalidSessionDataError(`Cannot keep ${kept} stored messages of session ${input.sessionId}: it has ${head?.message_count ?? 0}.`);
  }
  if (input.expectedRevision !== undefined) {
    if (!head && input.sessionId !== undefined) throw new SessionConflictError(input.sessionId, input.expectedRevision, null);
    if (head && head.revision !== input.expectedRevision) throw new SessionConflictError(head.id, input.expectedRevision, head.revision);
  }

  // A chunk does not hold the first user message, so without a title the stored one stays.
  const inherited = input.replace && kept === 0 ? null : (head ?? null);
  const titleIsCustom = input.title !== undefined ? input.title.trim() !== "" : inherited?.data.title_is_custom === true;
  const title =
    input.title !== undefined && input.title.trim() !== ""
      ? input.title.trim()
      : (titleIsCustom || kept > 0) && inherited
        ? inherited.name
        : deriveTitle(messages);
  const data = buildDataColumn(input, titleIsCustom, inherited?.data ?? null);
  const updatedAt = normaliseTime(input.updatedAt, now, "updatedAt");
  const row = {
    name: title,
    search_title: foldForSearch(title),
    provider: input.provider ?? "",
    model: input.model ?? "",
    profile: input.profile ?? "default",
    data: JSON.stringify(data),
    updated_at: updatedAt,
    message_count: total,
  };

  let id: string;
  let revision: number;
  let firstNew: number;
  let createdAt: string;
  if (!head) {
    id = input.sessionId ?? allocateId(ctx, timestampSessionId(new Date(now)));
    revision = 1;
    firstNew = 0;
    createdAt = normaliseTime(input.createdAt, updatedAt, "createdAt");
    ctx.statements.insertSession.run({ id, ...row, created_at: createdAt, revision, parent_id: input.parentId ?? null });
  } else {
    id = head.id;
    revision = head.revision + 1;
    firstNew = input.keepMessages === undefined ? storedPrefixLength(ctx, head, messages, encode) : keptPrefixLength(ctx, head, kept, total, encode);
    if (firstNew < head.message_count) ctx.statements.deleteMessagesFrom.run({ id, from: firstNew });
    createdAt = input.createdAt === undefined ? head.created_at : normaliseTime(input.createdAt, head.created_at, "createdAt");
    ctx.statements.updateSession.run({ id, ...row, created_at: createdAt, parent_id: input.parentId ?? null });
  }

  updatePreviewIndex(ctx.conn.sqlite, id, previewText(head?.data.conversation?.preview_messages), previewText(input.conversation.preview_messages), !head);
  const lastIdBefore = options.indexNow === false || firstNew >= total ? 0 : lastMessageId(ctx);
  for (let i = firstNew; i < total; i++) {
    ctx.statements.insertMessage.run({ session_id: id, position: i, ...encode(i), created_at: input.messageTimes?.[i - kept] ?? updatedAt });
  }
  if (options.indexNow !== false && firstNew < total) ctx.statements.indexMessagesAfter.run(lastIdBefore);
  const result = { sessionId: id, title, created: !head, revision, messageCount: total };
  if (input.keepMessages !== undefined) return { result, snapshot: null };
  const lastEncoded = messages.length > 0 ? JSON.stringify(encode(messages.length - 1)) : null;
  return { result, snapshot: { revision, createdAt, messages: messages.slice(), lastEncoded } };
}

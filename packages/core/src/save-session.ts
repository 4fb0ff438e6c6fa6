import { InvalidSessionDataError } from "./domain/errors.js";
import { newIncarnation, timestampSessionId } from "./domain/ids.js";
import { encodeMessage, type MessageRow } from "./domain/message-codec.js";
import { previewText } from "./domain/preview-text.js";
import { checkSaveBase, type KnownBases, type SessionBase } from "./domain/save-base.js";
import { matchingRows, normaliseTime, searchTitle, storedPrefixLength, titleFor, TOO_DEEP, validateInput } from "./domain/save-plan.js";
import { buildDataColumn } from "./domain/session-data.js";
import type { Snapshot, SnapshotCache } from "./domain/snapshot-cache.js";
import { isoNow } from "./domain/time.js";
import type { SaveSessionInput, SaveSessionResult } from "./domain/types.js";
import type { EngineTransaction, MessageWrite, SessionWrite, StoredHead } from "./engine/engine.js";

/**
 * The one save algorithm, the same on every engine, over the engine's transaction primitives:
 * check the input and the base the save starts from, write the session row, and write only the
 * messages after the stored prefix that is unchanged (with a snapshot of the stored state that
 * prefix is found by object identity, without reading a row).
 */

export interface SaveContext {
  tx: EngineTransaction;
  snapshots: SnapshotCache;
  known: KnownBases;
}

export interface SaveOptions {
  /**
   * Create a new session under the first free id of this base (`base`, `base_2`, …) that
   * `reserved` does not hold, whatever `input.sessionId` says: an import's renamed or forked copy.
   */
  freshIdFrom?: { base: string; reserved?: ReadonlySet<string> };
}

export interface SaveOutcome {
  result: SaveSessionResult;
  /** The stored state after the save: the base of the next one. */
  base: SessionBase;
  /**
   * To remember once the transaction has committed (never before: it could still roll back); null
   * for a chunk of a long import, whose earlier messages this process does not hold.
   */
  snapshot: Snapshot | null;
}

/** Writes one session inside the caller's write transaction. */
export function saveInTransaction(ctx: SaveContext, input: SaveSessionInput, options: SaveOptions = {}): Promise<SaveOutcome> {
  // JSON.stringify recurses: a value nested ~10,000 levels deep (a hostile or broken file) ends in
  // a RangeError. It is bad input, like any other, not a crash of the whole import.
  return writeSession(ctx, input, options).catch((error: unknown) => {
    if (error instanceof RangeError) throw new InvalidSessionDataError(TOO_DEEP);
    throw error;
  });
}

async function writeSession(ctx: SaveContext, input: SaveSessionInput, options: SaveOptions): Promise<SaveOutcome> {
  const { tx } = ctx;
  validateInput(input);
  const messages = input.conversation.messages;
  // Positions below `kept` are stored already and not part of the input (see keepMessages).
  const kept = input.keepMessages ?? 0;
  const total = kept + messages.length;
  const encoded: (MessageRow | undefined)[] = new Array(messages.length);
  const encode = (position: number): MessageRow => (encoded[position - kept] ??= encodeMessage(messages[position - kept]!, position));
  const now = isoNow();
  const updatedAt = normaliseTime(input.updatedAt, now, "updatedAt");
  const id = options.freshIdFrom ? undefined : input.sessionId;
  let head = id === undefined ? null : await tx.head(id);

  const columnsFor = (stored: StoredHead | null): { row: Omit<SessionWrite, "created_at">; title: string } => {
    checkSaveBase(input, stored, id === undefined ? undefined : ctx.known.get(id));
    if (kept > 0 && (!stored || stored.message_count < kept)) {
      throw new InvalidSessionDataError(`Cannot keep ${kept} stored messages of session ${input.sessionId}: it has ${stored?.message_count ?? 0}.`);
    }
    // A replacing import describes the whole session: nothing is inherited (a chunk keeps the stored title).
    const inherited = input.replace && kept === 0 ? null : stored;
    const { title, custom } = titleFor(input, inherited);
    const data = buildDataColumn(input, custom, inherited?.data ?? null);
    const row = {
      name: title,
      search_title: searchTitle(title),
      provider: input.provider ?? "",
      model: input.model ?? "",
      profile: input.profile ?? "default",
      data: JSON.stringify(data),
      updated_at: updatedAt,
      message_count: total,
      parent_id: input.parentId ?? null,
      tags: JSON.stringify(data.tags ?? []),
      preview_count: Array.isArray(data.conversation?.preview_messages) ? data.conversation.preview_messages.length : 0,
    };
    return { row, title };
  };

  let { row, title } = columnsFor(head);
  let sessionId: string;
  let revision: number;
  let firstNew = 0;
  let createdAt: string;
  let incarnation: string;
  let created = false;
  if (!head) {
    incarnation = newIncarnation();
    createdAt = normaliseTime(input.createdAt, updatedAt, "createdAt");
    const insert = { ...row, created_at: createdAt, revision: 1, incarnation };
    if (id === undefined) {
      const base = options.freshIdFrom ?? { base: timestampSessionId(new Date(now)) };
      sessionId = await tx.insertSessionWithFreshId(base.base, insert, base.reserved);
      created = true;
    } else {
      sessionId = id;
      created = await tx.insertSession({ ...insert, id });
      // Taken meanwhile by another writer (PostgreSQL; under SQLite's lock it cannot be): this save
      // then starts from that session, as it would have had it come a moment later.
      if (!created) {
        head = await tx.head(id);
        if (!head) throw new InvalidSessionDataError(`Session ${id} could not be created or read.`);
        ({ row, title } = columnsFor(head));
      }
    }
    revision = 1;
  }
  if (head) {
    sessionId = head.id;
    incarnation = head.incarnation;
    revision = head.revision + 1;
    const readFrom = async (from: number) => tx.messagesFrom(head!.id, from);
    firstNew =
      input.keepMessages === undefined
        ? await storedPrefixLength(head, ctx.snapshots.get(head.id), messages, encode, readFrom)
        : await matchingRows(kept, Math.min(head.message_count, total), encode, readFrom);
    if (firstNew < head.message_count) await tx.deleteMessagesFrom(head.id, firstNew);
    createdAt = input.createdAt === undefined ? head.created_at : normaliseTime(input.createdAt, head.created_at, "createdAt");
    await tx.updateSession(head.id, { ...row, created_at: createdAt });
  }

  const previewsBefore = previewText(head?.data.conversation?.preview_messages);
  await tx.updatePreviewText(sessionId!, previewsBefore, previewText(input.conversation.preview_messages), created);
  if (firstNew < total) {
    const rows: MessageWrite[] = new Array(total - firstNew);
    for (let i = firstNew; i < total; i++) rows[i - firstNew] = { session_id: sessionId!, position: i, ...encode(i), created_at: input.messageTimes?.[i - kept] ?? updatedAt };
    await tx.insertMessages(rows);
  }
  const result = { sessionId: sessionId!, title, created, revision: revision!, messageCount: total };
  const base = { revision: revision!, incarnation: incarnation! };
  if (input.keepMessages !== undefined) return { result, base, snapshot: null };
  const lastEncoded = messages.length > 0 ? JSON.stringify(encode(messages.length - 1)) : null;
  return { result, base, snapshot: { ...base, messages: messages.slice(), lastEncoded } };
}

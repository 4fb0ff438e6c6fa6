import { contextDiff } from "./domain/context-diff.js";
import { changeLength, historyRows, nextEpochNumber, recordUndo, undoTarget, type HistoryRow } from "./domain/context-history.js";
import { InvalidSessionDataError, SessionNotWritableError } from "./domain/errors.js";
import { newIncarnation, timestampSessionId } from "./domain/ids.js";
import { decodeMessage, encodeMessage, sameRow, type MessageRow } from "./domain/message-codec.js";
import { previewText } from "./domain/preview-text.js";
import { checkSaveBase, type KnownBases, type SessionBase } from "./domain/save-base.js";
import { normaliseTime, searchTitle, titleFor, TOO_DEEP, validateInput } from "./domain/save-plan.js";
import { buildDataColumn } from "./domain/session-data.js";
import { extendPositions, type ContextPositions, type Snapshot, type SnapshotCache } from "./domain/snapshot-cache.js";
import { isoNow } from "./domain/time.js";
import { deriveTitle, UNTITLED } from "./domain/titles.js";
import type { ContextEpoch, Message, SaveSessionInput, SaveSessionResult } from "./domain/types.js";
import type { EngineTransaction, MessageWrite, SessionWrite, StoredHead } from "./engine/engine.js";
import { headToChange } from "./write-heads.js";

/**
 * The one save algorithm, the same on every engine, over the engine's transaction primitives:
 * check the input and the base the save starts from, write the session row, and write only what
 * changed. A save never deletes a stored message: where the new conversation departs from the
 * stored context, the stored rows after the common prefix leave the context (marked with a new
 * epoch, recorded in the data column) and the new tail is appended (see domain/context-history.ts).
 * The prefix is found by object identity when this process holds a snapshot of the stored state.
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
   * for a chunk of a long import, whose earlier messages this process does not hold, and for a
   * session written from a history (its positions are the history's).
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

/** What a save writes besides the session row: rows, the epochs after it, the context's length and positions. */
interface MessagePlan {
  writes: MessageWrite[];
  epochs: ContextEpoch[];
  contextLength: number;
  /** Stored positions of the context after the save (for the snapshot); null when not known. */
  positions: ContextPositions | null;
  /** Whether the derived title must come from every stored message (some left the context). */
  hasHistory: boolean;
  /** The new messages in context (appended after the stored ones), for deriving a title from everything. */
  appended: readonly Message[];
}

async function writeSession(ctx: SaveContext, input: SaveSessionInput, options: SaveOptions): Promise<SaveOutcome> {
  const { tx } = ctx;
  validateInput(input);
  const messages = input.conversation.messages;
  // Context indexes below `kept` are stored already and not part of the input (see keepMessages).
  const kept = input.keepMessages ?? 0;
  const total = kept + messages.length;
  // Filled on demand, not allocated at the conversation's length: a re-save encodes only the few
  // messages it compares or writes (V8 keeps such a sparse array small), and a 10,000-slot array
  // per save cost a 10,000-message re-save ~2%.
  const encoded: (MessageRow | undefined)[] = [];
  const encode = (index: number): MessageRow => (encoded[index - kept] ??= encodeMessage(messages[index - kept]!, index));
  const now = isoNow();
  const updatedAt = normaliseTime(input.updatedAt, now, "updatedAt");
  const id = options.freshIdFrom ? undefined : input.sessionId;
  let head = id === undefined ? null : await headToChange(tx, id);
  const history = input.history ? historyRows(input.history, messages, updatedAt) : null;
  const write = (position: number, row: MessageRow, marks: { context_epoch: number | null; carried_from: number | null }, createdAt: string): MessageWrite => ({
    session_id: "",
    position,
    ...row,
    created_at: createdAt,
    ...marks,
  });

  let sessionId: string;
  let incarnation: string;
  let revision: number;
  let created = false;
  let plan: MessagePlan;
  if (!head) {
    checkSaveBase(input, null, id === undefined ? undefined : ctx.known.get(id));
    if (kept > 0) throw new InvalidSessionDataError(`Cannot keep ${kept} stored messages of session ${input.sessionId}: it has 0.`);
    plan = history
      ? { writes: history.rows.map((r) => write(r.position, encodeMessage(r.message, r.position), { context_epoch: r.context_epoch, carried_from: r.carried_from }, updatedAt)), epochs: history.epochs, contextLength: messages.length, positions: null, hasHistory: true, appended: [] }
      : {
          writes: messages.map((_, i) => write(i, encode(i), { context_epoch: null, carried_from: null }, input.messageTimes?.[i] ?? updatedAt)),
          epochs: [],
          contextLength: total,
          positions: "dense",
          hasHistory: false,
          appended: messages,
        };
    const columns = await sessionColumns(ctx, input, null, plan, history, updatedAt);
    incarnation = newIncarnation();
    const createdAt = normaliseTime(input.createdAt, updatedAt, "createdAt");
    const insert = { ...columns.row, created_at: createdAt, revision: 1, incarnation };
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
        // Still none: the id is another role's session this one cannot read (row-level security).
        if (!head) throw new SessionNotWritableError(id, true);
      }
    }
    revision = 1;
    if (created) return finish(ctx, input, { sessionId, incarnation, revision, created, title: columns.title, plan, head: null });
  }
  head = head!;
  checkSaveBase(input, head, id === undefined ? undefined : ctx.known.get(id));
  sessionId = head.id;
  incarnation = head.incarnation;
  revision = head.revision + 1;
  plan = history ? await historyOverStored(tx, head, history, updatedAt, now) : await contextSave(ctx, head, input, { total, encode, now, updatedAt });
  const columns = await sessionColumns(ctx, input, head, plan, history, updatedAt);
  const createdAt = input.createdAt === undefined ? head.created_at : normaliseTime(input.createdAt, head.created_at, "createdAt");
  await tx.updateSession(head.id, { ...columns.row, created_at: createdAt });
  return finish(ctx, input, { sessionId, incarnation, revision, created, title: columns.title, plan, head });
}

/**
 * A save of a conversation over the stored session: an undo first when asked, then the prefix
 * diff against the stored context; a departure marks the rest of the context out (a new epoch) and
 * the new tail is appended — rows that equal a departing one are its copies (carried_from).
 */
async function contextSave(
  ctx: SaveContext,
  head: StoredHead,
  input: SaveSessionInput,
  { total, encode, now, updatedAt }: { total: number; encode: (index: number) => MessageRow; now: string; updatedAt: string },
): Promise<MessagePlan> {
  const { tx } = ctx;
  const kept = input.keepMessages ?? 0;
  let epochs = head.data.epochs ?? [];
  let contextLength = head.message_count;
  let snapshot = input.keepMessages === undefined ? ctx.snapshots.get(head.id) : undefined;
  const change = input.contextChange;
  if (change?.kind === "undo") {
    const target = undoTarget(head.id, epochs, change.epoch);
    const undoEpoch = nextEpochNumber(epochs);
    const counts = await tx.restoreEpoch(head.id, target.epoch, target.appended, undoEpoch);
    epochs = recordUndo(epochs, target, undoEpoch, now, counts);
    contextLength += counts.restored - counts.retracted;
    snapshot = undefined;
  }
  if (kept > contextLength) throw new InvalidSessionDataError(`Cannot keep ${kept} stored messages of session ${head.id}: it has ${contextLength}.`);
  const diff = await contextDiff({
    stored: { revision: head.revision, incarnation: head.incarnation, contextLength },
    snapshot,
    next: input.conversation.messages,
    kept,
    encode,
    readFrom: async (index, limit) => tx.contextRows(head.id, index, limit),
  });
  const start = head.next_position;
  if (diff.departAt !== null) {
    const epoch = nextEpochNumber(epochs);
    const removed = await tx.markOutOfContext(head.id, diff.departAt, epoch);
    const described = change?.kind === "undo" ? change.then : change;
    const kind = described?.kind ?? (input.replace ? "import" : "replace");
    const produced = changeLength(described, diff.common, total);
    epochs = [...epochs, { epoch, kind, at: now, removed, appended: [start, start + produced] }];
  }
  const writes: MessageWrite[] = new Array(total - diff.common);
  for (let i = diff.common; i < total; i++) {
    const row = encode(i);
    const carried = diff.departAt === null ? null : diff.carriedFrom(input.conversation.messages[i - kept]!, row);
    writes[i - diff.common] = { session_id: "", position: start + i - diff.common, ...row, created_at: input.messageTimes?.[i - kept] ?? updatedAt, context_epoch: null, carried_from: carried };
  }
  return {
    writes,
    epochs,
    contextLength: total,
    positions: diff.positions && extendPositions(diff.positions, diff.common, writes.map((w) => w.position)),
    hasHistory: epochs.length > 0,
    appended: input.conversation.messages.slice(diff.common - kept),
  };
}

/**
 * An import with a history (an envelope's context_history) over a stored session. When the stored
 * rows are the start of the incoming ones (the same session, exported before it grew or was
 * compacted elsewhere), their marks follow the incoming ones and the rest is appended. Otherwise
 * the two histories diverged: the incoming one is appended after the stored rows as it was (its
 * positions and epochs shifted past the stored ones), and the stored context leaves under one
 * more "import" change, so an undo brings it back. Nothing stored is lost either way.
 */
async function historyOverStored(tx: EngineTransaction, head: StoredHead, incoming: { rows: HistoryRow[]; epochs: ContextEpoch[] }, updatedAt: string, now: string): Promise<MessagePlan> {
  const stored = await tx.allRows(head.id);
  const rows = incoming.rows.map((r) => ({ ...r, row: encodeMessage(r.message, r.position) }));
  const contextLength = rows.filter((r) => r.context_epoch === null).length;
  const asWrite = (r: (typeof rows)[number], shift: number, epochShift: number): MessageWrite => ({
    session_id: "",
    position: r.position + shift,
    ...r.row,
    created_at: updatedAt,
    context_epoch: r.context_epoch === null ? null : r.context_epoch + epochShift,
    carried_from: r.carried_from === null ? null : r.carried_from + shift,
  });
  const isPrefix = stored.length <= rows.length && stored.every((s, i) => s.position === rows[i]!.position && sameRow(s, rows[i]!.row));
  if (isPrefix) {
    const marks = stored.flatMap((s, i) => (s.context_epoch === rows[i]!.context_epoch ? [] : [{ position: s.position, context_epoch: rows[i]!.context_epoch }]));
    await tx.setContextMarks(head.id, marks);
    const writes = rows.slice(stored.length).map((r) => asWrite(r, 0, 0));
    return { writes, epochs: incoming.epochs, contextLength, positions: null, hasHistory: true, appended: [] };
  }
  const epochs = head.data.epochs ?? [];
  const shift = head.next_position;
  const epochShift = nextEpochNumber(epochs) - 1;
  const shifted = incoming.epochs.map((e) => ({
    ...e,
    epoch: e.epoch + epochShift,
    appended: [e.appended[0] + shift, e.appended[1] + shift] as [number, number],
    ...(e.undoes === undefined ? {} : { undoes: e.undoes + epochShift }),
    ...(e.undone_by === undefined ? {} : { undone_by: e.undone_by + epochShift }),
  }));
  const epoch = nextEpochNumber([...epochs, ...shifted]);
  const removed = await tx.markOutOfContext(head.id, 0, epoch);
  const writes = rows.map((r) => asWrite(r, shift, epochShift));
  const end = writes.length === 0 ? shift : writes.at(-1)!.position + 1;
  return {
    writes,
    epochs: [...epochs, ...shifted, { epoch, kind: "import", at: now, removed, appended: [shift, end] }],
    contextLength,
    positions: null,
    hasHistory: true,
    appended: [],
  };
}

/** The session row a save writes, with its title (see titleFor). */
async function sessionColumns(
  ctx: SaveContext,
  input: SaveSessionInput,
  stored: StoredHead | null,
  plan: MessagePlan,
  history: { rows: HistoryRow[] } | null,
  updatedAt: string,
): Promise<{ row: Omit<SessionWrite, "created_at">; title: string }> {
  const kept = input.keepMessages ?? 0;
  // A replacing import describes the whole session: nothing is inherited (a chunk keeps the stored title).
  const inherited = input.replace && kept === 0 ? null : stored;
  const derive = async (): Promise<string> => {
    if (history) return deriveTitle(history.rows.map((r) => r.message));
    if (!inherited || !plan.hasHistory) return deriveTitle(input.conversation.messages);
    // The first user message may have left the context: an automatic title stays what it was.
    if (input.title === undefined && inherited.name !== UNTITLED && inherited.data.title_is_custom !== true) return inherited.name;
    const everything = (await ctx.tx.allRows(inherited.id)).map(decodeMessage);
    return deriveTitle([...everything, ...plan.appended]);
  };
  const { title, custom } = await titleFor(input, inherited, derive);
  const data = buildDataColumn(input, custom, inherited?.data ?? null);
  if (plan.epochs.length > 0) data.epochs = plan.epochs;
  const row = {
    name: title,
    search_title: searchTitle(title),
    provider: input.provider ?? "",
    model: input.model ?? "",
    profile: input.profile ?? "default",
    data: JSON.stringify(data),
    updated_at: updatedAt,
    message_count: plan.contextLength,
    parent_id: input.parentId ?? null,
    fork_point: input.forkPoint ?? null,
    tags: JSON.stringify(data.tags ?? []),
    preview_count: Array.isArray(data.conversation?.preview_messages) ? data.conversation.preview_messages.length : 0,
  };
  return { row, title };
}

/** Previews, the new rows, and what the store remembers of the saved state. */
async function finish(
  ctx: SaveContext,
  input: SaveSessionInput,
  saved: { sessionId: string; incarnation: string; revision: number; created: boolean; title: string; plan: MessagePlan; head: StoredHead | null },
): Promise<SaveOutcome> {
  const { sessionId, plan, head } = saved;
  const previewsBefore = previewText(head?.data.conversation?.preview_messages);
  await ctx.tx.updatePreviewText(sessionId, previewsBefore, previewText(input.conversation.preview_messages), saved.created);
  for (const w of plan.writes) w.session_id = sessionId;
  await ctx.tx.insertMessages(plan.writes);
  const result = { sessionId, title: saved.title, created: saved.created, revision: saved.revision, messageCount: plan.contextLength };
  const base = { revision: saved.revision, incarnation: saved.incarnation };
  const messages = input.conversation.messages;
  if (input.keepMessages !== undefined || plan.positions === null) return { result, base, snapshot: null };
  // The last message as stored: the last row written, or (nothing new) its encoding.
  const last = plan.writes.at(-1) ?? (messages.length > 0 ? encodeMessage(messages.at(-1)!, messages.length - 1) : null);
  return { result, base, snapshot: { ...base, messages: messages.slice(), positions: plan.positions, last } };
}

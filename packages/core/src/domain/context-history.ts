import { InvalidSessionDataError, NothingToUndoError } from "./errors.js";
import type { MessageRow } from "./message-codec.js";
import type { ContextChangeKind, ContextEpoch, ContextHistory, Message } from "./types.js";

/**
 * History that is never lost (DESIGN §10), the part without a database: a save never deletes a
 * stored message. Where a new conversation departs from the stored context (a compaction, a
 * rewind, a caller replacing the tail), the stored messages after the common prefix leave the
 * model's context — their row gets the number of that change, its epoch — and the new tail is
 * appended. Positions only grow; the context is the rows without a mark, in position order. Each
 * change is recorded (an epoch: kind, time, how many left, which positions it appended), so the
 * latest one can be undone exactly.
 */

export const CONTEXT_CHANGE_KINDS: readonly ContextChangeKind[] = ["compact", "compact-smart", "rewind", "replace", "import"];

/** A stored message row with where it is and whether it is in the model's context. */
export interface StoredRow extends MessageRow {
  position: number;
  /** null = in the context; N = left it at epoch N. */
  context_epoch: number | null;
  /** This row is a copy (kept by a compaction) of the row at that position. */
  carried_from: number | null;
}

/**
 * An in-context row: the message's columns (MessageColumns), then its position — all a load or save
 * needs besides the content.
 */
export type ContextRow = readonly [role: string, content: string | null, name: string | null, tool_calls: string | null, tool_call_id: string | null, extra: string | null, position: number];

/** Where a context row is stored. */
export const positionOf = (row: ContextRow): number => row[6];

export const nextEpochNumber = (epochs: readonly ContextEpoch[]): number => epochs.reduce((max, e) => Math.max(max, e.epoch), 0) + 1;

/**
 * The change an undo reverts: the latest one that is not an undo and was not undone. Changes are
 * undone in the reverse order they were made (an older one may have been built on by a newer one).
 */
export function latestUndoable(epochs: readonly ContextEpoch[]): ContextEpoch | null {
  let latest: ContextEpoch | null = null;
  for (const e of epochs) if (e.kind !== "undo" && e.undone_by === undefined && (!latest || e.epoch > latest.epoch)) latest = e;
  return latest;
}

/** The epoch an undo of `epoch` must revert; `epoch` undefined = the latest undoable. Typed errors otherwise. */
export function undoTarget(sessionId: string, epochs: readonly ContextEpoch[], epoch?: number): ContextEpoch {
  const latest = latestUndoable(epochs);
  if (!latest) throw new NothingToUndoError(sessionId);
  if (epoch !== undefined && epoch !== latest.epoch) {
    throw new InvalidSessionDataError(`Change ${epoch} of session ${sessionId} is not its latest (that is change ${latest.epoch}): changes are undone newest first.`);
  }
  return latest;
}

/** The epochs after undoing `target` as epoch `undoEpoch`. */
export function recordUndo(epochs: readonly ContextEpoch[], target: ContextEpoch, undoEpoch: number, at: string, counts: { restored: number; retracted: number }): ContextEpoch[] {
  return [
    ...epochs.map((e) => (e.epoch === target.epoch ? { ...e, undone_by: undoEpoch } : e)),
    { epoch: undoEpoch, kind: "undo", at, removed: counts.retracted, appended: [0, 0], undoes: target.epoch, restored: counts.restored },
  ];
}

/**
 * The context an undo of `target` gives, from every stored row in position order: what the change
 * took out comes back, what it appended and is still in the context leaves; the rest stays.
 */
export function contextAfterUndo<R extends StoredRow>(rows: readonly R[], target: ContextEpoch): R[] {
  const [from, to] = target.appended;
  return rows.filter((r) => r.context_epoch === target.epoch || (r.context_epoch === null && !(r.position >= from && r.position < to)));
}

/** How many leading messages of the new context a change produced (the rest are plain appends). */
export function changeLength(change: { through?: number } | undefined, common: number, total: number): number {
  const through = change?.through;
  return through === undefined ? total - common : Math.max(0, Math.min(total, through) - common);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const isPosition = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

/**
 * The `context_history` of an envelope (export, `show --json --all`): the change records, where each
 * context message is stored, and every message outside the context with its mark. Null for a
 * session whose context is all it ever had.
 */
export function toEnvelopeHistory(rows: readonly (StoredRow & { message: Message })[], epochs: readonly ContextEpoch[]): ContextHistory | null {
  if (epochs.length === 0 && rows.every((r) => r.context_epoch === null && r.carried_from === null)) return null;
  const history: ContextHistory = { epochs: epochs.map((e) => ({ ...e })), context: [], out_of_context: [] };
  for (const r of rows) {
    const carried = r.carried_from === null ? {} : { carried_from: r.carried_from };
    if (r.context_epoch === null) history.context.push({ position: r.position, ...carried });
    else history.out_of_context.push({ position: r.position, epoch: r.context_epoch, ...carried, message: r.message });
  }
  return history;
}

/** A row an import with a history writes: its message, where and with which mark. */
export interface HistoryRow {
  position: number;
  context_epoch: number | null;
  carried_from: number | null;
  message: Message;
}

/**
 * The rows and epochs an envelope's history stands for, in position order. A mismatched history
 * (see parseEnvelopeHistory) keeps its messages outside the context, before the context, under one
 * "import" change.
 */
export function historyRows(history: ContextHistory & { mismatched?: boolean }, context: readonly Message[], at: string): { rows: HistoryRow[]; epochs: ContextEpoch[] } {
  if (history.mismatched) {
    const out = [...history.out_of_context].sort((a, b) => a.position - b.position);
    const rows: HistoryRow[] = [
      ...out.map((r, i) => ({ position: i, context_epoch: 1, carried_from: null, message: r.message })),
      ...context.map((message, i) => ({ position: out.length + i, context_epoch: null, carried_from: null, message })),
    ];
    return { rows, epochs: out.length === 0 ? [] : [{ epoch: 1, kind: "import", at, removed: out.length, appended: [out.length, out.length] }] };
  }
  const rows: HistoryRow[] = [
    ...history.context.map((r, i) => ({ position: r.position, context_epoch: null, carried_from: r.carried_from ?? null, message: context[i]! })),
    ...history.out_of_context.map((r) => ({ position: r.position, context_epoch: r.epoch, carried_from: r.carried_from ?? null, message: r.message })),
  ];
  return { rows: rows.sort((a, b) => a.position - b.position), epochs: history.epochs.map((e) => ({ ...e })) };
}

function parseEpoch(value: unknown, where: string): ContextEpoch {
  if (!isObject(value)) throw new InvalidSessionDataError(`${where} is not an object.`);
  const { epoch, kind, at, removed, appended, undoes, restored, undone_by: undoneBy } = value;
  if (!Number.isInteger(epoch) || (epoch as number) < 1) throw new InvalidSessionDataError(`${where} has no epoch number.`);
  if (kind !== "undo" && !CONTEXT_CHANGE_KINDS.includes(kind as ContextChangeKind)) throw new InvalidSessionDataError(`${where} has an unknown kind ${JSON.stringify(kind)}.`);
  if (!Array.isArray(appended) || appended.length !== 2 || !appended.every(isPosition)) throw new InvalidSessionDataError(`${where} has no appended range.`);
  return {
    epoch: epoch as number,
    kind: kind as ContextEpoch["kind"],
    at: typeof at === "string" ? at : "",
    removed: isPosition(removed) ? removed : 0,
    appended: [appended[0] as number, appended[1] as number],
    ...(isPosition(undoes) ? { undoes } : {}),
    ...(isPosition(restored) ? { restored } : {}),
    ...(isPosition(undoneBy) ? { undone_by: undoneBy } : {}),
  };
}

/**
 * Checks an envelope's `context_history` against its messages. A history whose context does not
 * match the messages (an older Victor changed the session after it was exported) still loses
 * nothing: it comes back as `mismatched`, and the import keeps its messages outside the context.
 */
export function parseEnvelopeHistory(value: unknown, contextLength: number, where: string): ContextHistory & { mismatched: boolean } {
  if (!isObject(value)) throw new InvalidSessionDataError(`${where}: context_history is not an object.`);
  const { epochs, context, out_of_context: outOfContext } = value;
  if (!Array.isArray(epochs) || !Array.isArray(context) || !Array.isArray(outOfContext)) {
    throw new InvalidSessionDataError(`${where}: context_history needs the lists epochs, context and out_of_context.`);
  }
  const parsedEpochs = epochs.map((e, i) => parseEpoch(e, `${where}: context_history.epochs[${i}]`));
  const known = new Set(parsedEpochs.map((e) => e.epoch));
  const positions = new Set<number>();
  const checkRow = (row: unknown, label: string): Record<string, unknown> => {
    if (!isObject(row) || !isPosition(row.position)) throw new InvalidSessionDataError(`${where}: ${label} has no position.`);
    if (positions.has(row.position)) throw new InvalidSessionDataError(`${where}: ${label} repeats position ${row.position}.`);
    if (row.carried_from !== undefined && !isPosition(row.carried_from)) throw new InvalidSessionDataError(`${where}: ${label} has a bad carried_from.`);
    positions.add(row.position);
    return row;
  };
  const parsedContext = context.map((row, i) => {
    const r = checkRow(row, `context_history.context[${i}]`);
    return { position: r.position as number, ...(r.carried_from === undefined ? {} : { carried_from: r.carried_from as number }) };
  });
  const parsedOut = outOfContext.map((row, i) => {
    const label = `context_history.out_of_context[${i}]`;
    const r = checkRow(row, label);
    if (!Number.isInteger(r.epoch) || !known.has(r.epoch as number)) throw new InvalidSessionDataError(`${where}: ${label} names no recorded epoch.`);
    if (!isObject(r.message) || typeof r.message.role !== "string") throw new InvalidSessionDataError(`${where}: ${label} has no message with a role.`);
    return { position: r.position as number, epoch: r.epoch as number, ...(r.carried_from === undefined ? {} : { carried_from: r.carried_from as number }), message: r.message as Message };
  });
  return { epochs: parsedEpochs, context: parsedContext, out_of_context: parsedOut, mismatched: parsedContext.length !== contextLength };
}

import { positionOf } from "./domain/context-history.js";
import { decodeColumns, rowOfColumns, type MessageColumns, type MessageRow } from "./domain/message-codec.js";
import type { ContextPositions } from "./domain/snapshot-cache.js";
import type { ContextHistory, Message } from "./domain/types.js";
import type { EngineTransaction, SessionRow } from "./engine/engine.js";
import { readWithHistory } from "./read-history.js";

/** A session's context as a load reads it: its messages, where they are stored, the last one as stored. */
export interface ReadContext {
  messages: Message[];
  positions: ContextPositions;
  last: MessageRow | null;
  /** With `all`, everything else the session holds (null when it holds nothing else). */
  history: ContextHistory | null;
}

/**
 * Reads the context of the session `row` (inside the caller's read transaction). A context stored at
 * positions 0..n-1 — a session that never lost a message from it, the usual case — is read without
 * its positions (one column fewer per row is ~8% of a 10,000-message load): the session row says so
 * (as many context messages as positions), and the number of rows read confirms it.
 */
export async function readContext(tx: EngineTransaction, row: SessionRow, all: boolean): Promise<ReadContext> {
  const epochs = row.data.epochs ?? [];
  if (all && epochs.length > 0) {
    const { rows, messages, history } = await readWithHistory(tx, row.id, epochs);
    return { messages, positions: denseOr(rows.map((r) => r.position)), last: rows.at(-1) ?? null, history };
  }
  if (row.message_count === row.next_position) {
    const columns = await tx.contextColumns(row.id, 0);
    if (columns.length === row.next_position) return { messages: decodeAll(columns), positions: "dense", last: lastRow(columns), history: null };
  }
  const rows = await tx.contextRows(row.id, 0);
  return { messages: decodeAll(rows), positions: denseOr(rows.map(positionOf)), last: lastRow(rows), history: null };
}

function decodeAll(rows: readonly MessageColumns[]): Message[] {
  const messages = new Array<Message>(rows.length);
  for (let i = 0; i < rows.length; i++) messages[i] = decodeColumns(rows[i]!);
  return messages;
}

const lastRow = (rows: readonly MessageColumns[]): MessageRow | null => (rows.length > 0 ? rowOfColumns(rows.at(-1)!) : null);

const denseOr = (positions: number[]): ContextPositions => (positions.every((position, i) => position === i) ? "dense" : positions);

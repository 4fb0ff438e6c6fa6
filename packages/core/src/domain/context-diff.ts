import { positionOf, type ContextRow } from "./context-history.js";
import { rowOfColumns, rowText, sameRow, type MessageRow } from "./message-codec.js";
import { extendPositions, positionAt, type ContextPositions, type Snapshot } from "./snapshot-cache.js";
import type { Message } from "./types.js";

/**
 * Where a new conversation departs from the stored context: the prefix diff that makes a re-save
 * cost what changed, not the session's size. With a snapshot of this very stored state the
 * prefix is found by object identity (O(1) per message, no serialisation; the last known message
 * is compared by content, which catches a reply streamed into place); where identity stops, one
 * stored row tells a departure (a compaction, a rewind: nothing more is read) from equal but new
 * objects (then the rows are compared from there). Without a snapshot the stored context rows are
 * read and compared to the new encoding.
 */
export interface ContextDiff {
  /** How many leading messages of the new context are stored unchanged. */
  common: number;
  /** The stored position of the first context row that departs; null when none does (an append). */
  departAt: number | null;
  /** Stored positions of the context, valid for the first `common` rows (for the next snapshot); null when not all are known. */
  positions: ContextPositions | null;
  /** The position of a departing stored row this new message (encoded as `row`) is (kept by a compaction), else null. */
  carriedFrom(message: Message, row: MessageRow): number | null;
}

export interface ContextDiffInput {
  /** The stored context: its length, and the state a snapshot must be of to be trusted. */
  stored: { revision: number; incarnation: string; contextLength: number };
  /** What this process last saved or loaded of the session, if it is still the stored state. */
  snapshot: Snapshot | undefined;
  /** The new conversation from context index `kept` on (see SaveSessionInput.keepMessages). */
  next: readonly Message[];
  kept: number;
  encode: (index: number) => MessageRow;
  /** The stored context rows from this context index on, in order (at most `limit`). */
  readFrom: (index: number, limit?: number) => Promise<readonly ContextRow[]>;
}

export async function contextDiff(input: ContextDiffInput): Promise<ContextDiff> {
  const { stored, snapshot, next, kept, encode } = input;
  const total = kept + next.length;
  const fresh =
    kept === 0 &&
    snapshot !== undefined &&
    snapshot.revision === stored.revision &&
    snapshot.incarnation === stored.incarnation &&
    snapshot.messages.length === stored.contextLength;
  let k = kept;
  if (fresh) {
    const known = snapshot.messages;
    const limit = Math.min(known.length, next.length);
    while (k < limit && known[k] === next[k]) k++;
    if (k === snapshot.messages.length) {
      // The last message changed in place (a reply streamed into it): it departs.
      if (k > 0 && !sameRow(snapshot.last!, encode(k - 1))) return fromSnapshot(snapshot, k - 1);
      return fromSnapshot(snapshot, k);
    }
    const [first] = k < next.length ? await input.readFrom(k, 1) : [];
    if (!first || !sameRow(rowOfColumns(first), encode(k))) return fromSnapshot(snapshot, k);
  }
  if (k >= stored.contextLength) return { common: k, departAt: null, positions: kept === 0 && k === 0 ? "dense" : null, carriedFrom: () => null };
  const rows = await input.readFrom(k);
  const limit = Math.min(stored.contextLength, total);
  let j = k;
  while (j < limit && j - k < rows.length && sameRow(rowOfColumns(rows[j - k]!), encode(j))) j++;
  const departed = rows.slice(j - k);
  const departAt = departed.length > 0 ? positionOf(departed[0]!) : null;
  const readPositions = rows.slice(0, j - k).map(positionOf);
  const positions = fresh ? extendPositions(snapshot.positions, k, readPositions) : k === 0 ? extendPositions("dense", 0, readPositions) : null;
  // The rows read are the stored truth: a copy is recognised by its content (the first equal row).
  let byContent: Map<string, number> | undefined;
  return {
    common: j,
    departAt,
    positions,
    carriedFrom: (_message, row) => {
      byContent ??= new Map(departed.map((r) => [rowText(rowOfColumns(r)), positionOf(r)] as [string, number]).reverse());
      return byContent.get(rowText(row)) ?? null;
    },
  };
}

/**
 * The diff from a snapshot alone: the new conversation keeps the first `common` snapshot messages;
 * the rest of the stored context departs. A departing message that comes back (the same object,
 * kept by a compaction) is a copy of its row — unless it changed in place (the last one can).
 */
function fromSnapshot(snapshot: Snapshot, common: number): ContextDiff {
  const last = snapshot.messages.length - 1;
  let byIdentity: Map<Message, number> | undefined;
  return {
    common,
    departAt: common <= last ? positionAt(snapshot.positions, common) : null,
    positions: snapshot.positions,
    carriedFrom: (message, row) => {
      if (!byIdentity) {
        byIdentity = new Map();
        for (let i = last; i >= common; i--) byIdentity.set(snapshot.messages[i]!, i);
      }
      const index = byIdentity.get(message);
      if (index === undefined || (index === last && !sameRow(row, snapshot.last!))) return null;
      return positionAt(snapshot.positions, index);
    },
  };
}

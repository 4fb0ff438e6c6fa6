import type { SideState, SyncEntry, SyncHead } from "../domain/sync-entry.js";

/**
 * What both stores last agreed about one session, seen from the side that sends now. Each store
 * keeps its own ledger rows about the other; the receiving store writes its row in the same
 * transaction as the data, the sending store after (when it keeps one: a push's local file does),
 * so after a killed run the receiver's row can be the newer one. Both are read, and the row that
 * describes the stores as they are now wins.
 */
export interface SyncPair {
  senderId: string;
  receiverId: string;
  sender: SideState;
  receiver: SideState;
  messageCount: number;
  messagesHash: string;
  contentHash: string;
  syncedAt: string;
  /** Found only in the receiver's ledger: the sender's row is missing or older (a run killed after the receiver's commit). */
  receiverOnly: boolean;
}

/** A row of the sender's own ledger (about the receiver). */
export function pairFromSenderRow(entry: SyncEntry): SyncPair {
  const { sessionId, remoteSessionId, local, remoteSide, messageCount, messagesHash, contentHash, syncedAt } = entry;
  return { senderId: sessionId, receiverId: remoteSessionId, sender: local, receiver: remoteSide, messageCount, messagesHash, contentHash, syncedAt, receiverOnly: false };
}

/** A row of the receiver's ledger (about the sender). */
export function pairFromReceiverRow(entry: SyncEntry): SyncPair {
  const { sessionId, remoteSessionId, local, remoteSide, messageCount, messagesHash, contentHash, syncedAt } = entry;
  return { senderId: remoteSessionId, receiverId: sessionId, sender: remoteSide, receiver: local, messageCount, messagesHash, contentHash, syncedAt, receiverOnly: true };
}

/** The row a side keeps about the other, for a pair (`local` = that side). */
export function entryFor(side: "sender" | "receiver", pair: SyncPair, otherIdentity: string, direction: SyncEntry["direction"]): SyncEntry {
  const mine = side === "sender";
  return {
    remote: otherIdentity,
    sessionId: mine ? pair.senderId : pair.receiverId,
    remoteSessionId: mine ? pair.receiverId : pair.senderId,
    local: mine ? pair.sender : pair.receiver,
    remoteSide: mine ? pair.receiver : pair.sender,
    messageCount: pair.messageCount,
    messagesHash: pair.messagesHash,
    contentHash: pair.contentHash,
    direction,
    syncedAt: pair.syncedAt,
  };
}

/** Whether a session is still in the state a pair recorded (same incarnation, same revision). */
export function isAt(head: Pick<SyncHead, "revision" | "incarnation"> | null | undefined, state: Pick<SideState, "revision" | "incarnation">): boolean {
  return head != null && head.revision === state.revision && head.incarnation === state.incarnation;
}

const samePair = (a: SyncPair, b: SyncPair): boolean =>
  a.senderId === b.senderId && a.receiverId === b.receiverId && a.sender.revision === b.sender.revision && a.sender.incarnation === b.sender.incarnation && a.receiver.revision === b.receiver.revision && a.receiver.incarnation === b.receiver.incarnation;

/**
 * Both ledgers about one pair of stores, indexed by the sender's session id. Revisions only grow
 * within an incarnation, so a row older than another can never match a store that the newer one
 * saw move: the row matching the current heads on more sides is the newest that still holds.
 */
export class PairIndex {
  private readonly bySender = new Map<string, SyncPair[]>();

  constructor(senderRows: readonly SyncEntry[], receiverRows: readonly SyncEntry[]) {
    for (const pair of [...senderRows.map(pairFromSenderRow), ...receiverRows.map(pairFromReceiverRow)]) {
      const list = this.bySender.get(pair.senderId) ?? [];
      const twin = list.find((other) => samePair(other, pair));
      // The same agreement in both ledgers: the sender's own row is complete.
      if (twin) twin.receiverOnly = false;
      else list.push(pair);
      this.bySender.set(pair.senderId, list);
    }
  }

  /** Whether a session of the sender was ever synced with this store. */
  has(senderId: string): boolean {
    return this.bySender.has(senderId);
  }

  /** Where a session of the sender is on the receiving side, by the ledgers (preferring a copy that still exists there). */
  receiverIdOf(senderId: string, receiverHeads: ReadonlyMap<string, SyncHead>): string | undefined {
    const pairs = this.bySender.get(senderId) ?? [];
    return (pairs.find((pair) => receiverHeads.has(pair.receiverId)) ?? pairs[0])?.receiverId;
  }

  /** The pair that describes `sender` as things are now, or null when it has never been synced with this store. */
  best(sender: SyncHead, receiverHeads: ReadonlyMap<string, SyncHead>): SyncPair | null {
    let best: SyncPair | null = null;
    let bestScore = -1;
    for (const pair of this.bySender.get(sender.id) ?? []) {
      const score = Number(isAt(sender, pair.sender)) + Number(isAt(receiverHeads.get(pair.receiverId), pair.receiver));
      const newer = best !== null && score === bestScore && pair.sender.revision + pair.receiver.revision > best.sender.revision + best.receiver.revision;
      if (score > bestScore || newer) {
        best = pair;
        bestScore = score;
      }
    }
    return best;
  }
}

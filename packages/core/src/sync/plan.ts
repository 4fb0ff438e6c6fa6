import type { SyncHead } from "../domain/sync-entry.js";
import { isAt, type SyncPair } from "./pairs.js";

/**
 * What a push or pull does with one session, decided from both stores' heads and what they last
 * agreed (the pair), before anything is read or written. The receiving transaction checks the
 * receiver's head again (another writer may have come first) and falls back to a fork.
 *
 * Rules: a session is never overwritten on the receiving side unless that side is still exactly
 * as the last sync left it. Changed on both sides (or not the user's to change: a teammate's shared
 * session) → the incoming version is kept beside it as a fork. Changed only on the receiving side
 * → nothing to send (the other direction brings it). Deleted on the receiving side since the last
 * sync and unchanged here → not sent again (unless named). Never synced and the id taken there →
 * the same content is linked, other content comes in under a new id.
 */
export type SyncPlan =
  | { action: "skip"; head: SyncHead; pair: SyncPair | null; status: "unchanged" | "newer-there" | "deleted-there"; receiver: SyncHead | null }
  | { action: "update"; head: SyncHead; pair: SyncPair; receiver: SyncHead }
  | { action: "create"; head: SyncHead; pair: SyncPair | null; base: string }
  | { action: "fork"; head: SyncHead; pair: SyncPair; base: string; reason: ForkReason }
  | { action: "compare"; head: SyncHead; pair: SyncPair | null; receiver: SyncHead; otherwise: "fork" | "rename" };

/** Why an incoming version was kept beside the receiver's session instead of replacing it. */
export type ForkReason = "changed-on-both-sides" | "not-yours";

export function planSession(head: SyncHead, pair: SyncPair | null, receiverHeads: ReadonlyMap<string, SyncHead>, named: boolean): SyncPlan {
  if (!pair) {
    const receiver = receiverHeads.get(head.id);
    // A session the receiver cannot see may hold the id (another role's, on a server): the write picks a free one then.
    return receiver ? { action: "compare", head, pair, receiver, otherwise: "rename" } : { action: "create", head, pair, base: head.id };
  }
  const receiver = receiverHeads.get(pair.receiverId) ?? null;
  const senderMoved = !isAt(head, pair.sender);
  if (!receiver) return senderMoved || named ? { action: "create", head, pair, base: pair.receiverId } : { action: "skip", head, pair, status: "deleted-there", receiver };
  const receiverMoved = !isAt(receiver, pair.receiver);
  if (!senderMoved) return { action: "skip", head, pair, status: receiverMoved ? "newer-there" : "unchanged", receiver };
  if (!receiver.writable) return { action: "fork", head, pair, base: receiver.id, reason: "not-yours" };
  if (!receiverMoved) return { action: "update", head, pair, receiver };
  return { action: "compare", head, pair, receiver, otherwise: "fork" };
}

/** About how many messages a plan sends (for batching): the new ones of an update, else all. */
export function messagesToSend(plan: SyncPlan): number {
  if (plan.action === "skip") return 0;
  if (plan.action === "update") return Math.max(0, plan.head.message_count - plan.pair.messageCount);
  return plan.head.message_count;
}

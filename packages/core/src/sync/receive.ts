import { toSaveInput } from "../domain/envelope.js";
import { runImportBatch } from "../domain/import-batch.js";
import { KnownBases } from "../domain/save-base.js";
import { SnapshotCache } from "../domain/snapshot-cache.js";
import type { SideState, SyncEntry } from "../domain/sync-entry.js";
import { isoNow } from "../domain/time.js";
import type { ImportItem, ImportItemResult } from "../domain/types.js";
import type { Engine, EngineTransaction } from "../engine/engine.js";
import { saveInTransaction } from "../save-session.js";
import type { Outgoing } from "./outgoing.js";
import { entryFor, isAt, pairFromReceiverRow, type SyncPair } from "./pairs.js";
import type { ForkReason } from "./plan.js";
import type { SyncDirection, SyncSessionResult } from "./report.js";

/**
 * The receiving side of a push or pull: one write transaction per batch, in which each session is
 * checked against the receiver as it is now (its row locked), written by the store's one save
 * algorithm, and recorded in the receiver's sync ledger — so a run killed at any point leaves each
 * session and its ledger row together, and the next run sees what arrived.
 */

/** What to do with one incoming session, decided by the plan and, for a comparison, by the content. */
export type Delivery =
  /** The receiver's copy is still as the last sync left it (`expect`): bring it up to date. */
  | { kind: "update"; receiverId: string; expect: Pick<SideState, "revision" | "incarnation"> }
  /** Both hold the same content: record it. `receiver`: the receiver's state as read (fingerprint included). */
  | { kind: "link"; receiverId: string; receiver: SideState }
  /** New on the receiving side, under `base` or the first free id after it; `renamed`: the id was known to be taken. */
  | { kind: "create"; base: string; renamed: boolean }
  /** Beside the receiver's session `base`, as a fork of it. */
  | { kind: "fork"; base: string; reason: ForkReason };

export interface Incoming {
  senderId: string;
  /** Its parent in the sender's store (mapped to the receiver's ids here). */
  senderParentId: string | null;
  outgoing: Outgoing;
  delivery: Delivery;
  /** The whole session, read again from the sender (when only its new messages were read and the receiver moved meanwhile). */
  readWhole(): Promise<Outgoing | null>;
}

export interface Received {
  result: SyncSessionResult;
  /** What both sides now agree on (absent when nothing was recorded). */
  pair?: SyncPair;
}

export interface ReceiveOptions {
  senderIdentity: string;
  direction: SyncDirection;
  /** Set the receiving copies' shared flag (a server's); undefined leaves it. */
  share?: boolean;
  /** Where a parent outside this batch is on the receiving side (undefined: keep the link's id as it is). */
  mapParent(senderParentId: string): string | null;
}

/** A session this batch wrote: where, how many messages, its new state. */
interface Written {
  id: string;
  count: number;
  state: Pick<SideState, "revision" | "incarnation">;
}

/** The receiver's fingerprint of a session written in this batch, until the batch has them all. */
const PENDING = "\u0000pending";

type ReceivedHere = Received & { recordHere: boolean };
type BatchResult = ImportItemResult & { received: ReceivedHere };

/** Receives a batch in one write transaction of the receiving engine; results in the batch's order. */
export async function receiveBatch(engine: Engine, batch: readonly Incoming[], options: ReceiveOptions): Promise<Received[]> {
  return engine.write(
    async (tx) => {
      const ctx = { tx, snapshots: new SnapshotCache(), known: new KnownBases() };
      const arrived = await tx.syncEntries(options.senderIdentity, { remoteSessionIds: batch.map((incoming) => incoming.senderId) });
      const bySender = new Map(batch.map((incoming) => [incoming.senderId, incoming]));
      const done = new Map<string, string>();
      // The batch rules of an import: parents go first, and a fork's parent follows it to its new id.
      const items: ImportItem[] = batch.map((incoming) => ({
        input: { sessionId: incoming.senderId, parentId: incoming.senderParentId, conversation: { messages: [] }, model: "", provider: "" },
        onConflict: "skip",
      }));
      const written: Written[] = [];
      const results = await runImportBatch<BatchResult>(items, async (item) => {
        const incoming = bySender.get(item.input.sessionId)!;
        const parent = incoming.senderParentId;
        const parentId = parent === null ? null : (done.get(parent) ?? options.mapParent(parent));
        const save: Save = async (input, fresh) => {
          const saved = await saveInTransaction(ctx, input, fresh ? { freshIdFrom: { base: fresh } } : {});
          written.push({ id: saved.result.sessionId, count: saved.result.messageCount, state: saved.base });
          return saved;
        };
        const received = await receiveOne(ctx.tx, incoming, parentId, arrived, options, save);
        if (received.result.targetId !== null) done.set(incoming.senderId, received.result.targetId);
        return { requestedId: incoming.senderId, sessionId: received.result.targetId, status: "unchanged", received };
      });
      const all = results.map((result) => (result as BatchResult).received);
      // The receiver's side of each written session is known only now: its fingerprints, in one go.
      const fingerprints = await tx.messagesFingerprints(written);
      const receiverStates = new Map(written.map((w, i) => [w.id, { ...w.state, fingerprint: fingerprints[i] ?? "" }]));
      for (const { pair } of all) if (pair && receiverStates.has(pair.receiverId) && pair.receiver.fingerprint === PENDING) pair.receiver = receiverStates.get(pair.receiverId)!;
      const recorded = all.flatMap(({ pair, recordHere }) => (pair && recordHere ? [entryFor("receiver", pair, options.senderIdentity, options.direction)] : []));
      await tx.upsertSyncEntries(recorded);
      return all.map(({ recordHere: _, ...received }) => received);
    },
    { exclusive: true },
  );
}

type Save = (input: ReturnType<typeof toSaveInput> & { keepMessages?: number; replace: boolean; force: boolean }, freshFrom: string | null) => ReturnType<typeof saveInTransaction>;

async function receiveOne(
  tx: EngineTransaction,
  incoming: Incoming,
  parentId: string | null,
  arrived: readonly SyncEntry[],
  options: ReceiveOptions,
  save: Save,
): Promise<ReceivedHere> {
  const { senderId, delivery } = incoming;
  let outgoing = incoming.outgoing;
  const there = await alreadyThere(tx, senderId, outgoing, arrived);
  if (there) return { result: { id: senderId, targetId: there.receiverId, status: "unchanged", messagesSent: 0 }, pair: there, recordHere: false };

  // What both sides agree on once the receiver's copy `receiverId` is at `receiver`.
  const pairWith = (receiverId: string, receiver: SideState): SyncPair => ({
    senderId,
    receiverId,
    sender: outgoing.state,
    receiver,
    messageCount: outgoing.messageCount,
    messagesHash: outgoing.messagesHash,
    contentHash: outgoing.contentHash,
    syncedAt: isoNow(),
    receiverOnly: false,
  });
  const shared = async (id: string): Promise<Partial<SyncSessionResult>> => {
    if (options.share === undefined) return {};
    await tx.setShared(id, options.share);
    return { shared: options.share };
  };
  const write = async (status: SyncSessionResult["status"], target: { id: string } | { fresh: string }, link: string | null, extra: Partial<SyncSessionResult> = {}): Promise<ReceivedHere> => {
    const input = {
      ...toSaveInput(outgoing.session),
      sessionId: "id" in target ? target.id : target.fresh,
      parentId: link,
      replace: true,
      force: true,
      ...(outgoing.from > 0 ? { keepMessages: outgoing.from } : {}),
    };
    const saved = await save(input, "fresh" in target ? target.fresh : null);
    const id = saved.result.sessionId;
    const pair = pairWith(id, { ...saved.base, fingerprint: PENDING });
    const created = status === "created" && "fresh" in target && id !== target.fresh ? "renamed" : status;
    return { result: { id: senderId, targetId: id, status: created, messagesSent: outgoing.session.conversation.messages.length, ...extra, ...(await shared(id)) }, pair, recordHere: true };
  };
  const fork = (base: string, reason: ForkReason) => write("forked", { fresh: base }, base, { forkOf: base, reason });

  switch (delivery.kind) {
    case "create":
      return write(delivery.renamed ? "renamed" : "created", { fresh: delivery.base }, parentId);
    case "fork":
      return fork(delivery.base, delivery.reason);
    case "update":
    case "link": {
      const locked = await tx.head(delivery.receiverId);
      // A link writes nothing there, so the session may be one this role can only read (a
      // teammate's shared one, which the locking head does not return): the same content is linked.
      const head = locked ?? (delivery.kind === "link" ? await tx.sessionRow(delivery.receiverId) : null);
      const expected = delivery.kind === "update" ? delivery.expect : delivery.receiver;
      if (isAt(head, expected)) {
        if (delivery.kind === "update") return write("updated", { id: delivery.receiverId }, parentId);
        const pair = pairWith(delivery.receiverId, delivery.receiver);
        return { result: { id: senderId, targetId: delivery.receiverId, status: "linked", messagesSent: 0, ...(locked ? await shared(delivery.receiverId) : {}) }, pair, recordHere: true };
      }
      // Another writer came first: its work stays, this version goes beside it, whole.
      if (outgoing.from > 0) {
        const whole = await incoming.readWhole();
        if (!whole) return { result: { id: senderId, targetId: null, status: "failed", messagesSent: 0, reason: "deleted while it was being sent" }, recordHere: false };
        outgoing = whole;
      }
      if (!head) return write("created", { fresh: delivery.receiverId }, parentId);
      return fork(delivery.receiverId, "changed-on-both-sides");
    }
  }
}

/**
 * Whether this very version already arrived (a run killed after this commit, or another process
 * sending the same session at the same time): the receiver's ledger says it got the sender's
 * current state, with this content, and that copy is untouched since.
 */
async function alreadyThere(tx: EngineTransaction, senderId: string, outgoing: Outgoing, arrived: readonly SyncEntry[]): Promise<SyncPair | null> {
  for (const entry of arrived) {
    if (entry.remoteSessionId !== senderId || entry.contentHash !== outgoing.contentHash || !isAt(entry.remoteSide, outgoing.state)) continue;
    if (isAt(await tx.head(entry.sessionId), entry.local)) return pairFromReceiverRow(entry);
  }
  return null;
}

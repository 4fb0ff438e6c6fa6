import { DamagedSessionError, InvalidSessionDataError, UnsupportedOnEngineError, VictorError } from "../domain/errors.js";
import { parentsFirst } from "../domain/import-batch.js";
import type { SyncEntry, SyncHead } from "../domain/sync-entry.js";
import type { Engine } from "../engine/engine.js";
import { engineOf, type SessionStore } from "../store.js";
import { readOutgoing, type Outgoing } from "./outgoing.js";
import { entryFor, PairIndex } from "./pairs.js";
import { messagesToSend, planSession, type SyncPlan } from "./plan.js";
import { receiveBatch, type Delivery, type Incoming, type Received } from "./receive.js";
import { emptyCounts, type SyncDirection, type SyncReport, type SyncSessionResult } from "./report.js";

/**
 * push/pull between any two session stores (a project's file and a PostgreSQL server, two files,
 * two servers), over the store's engine interface only. Idempotent: a session that changed on
 * neither side since the last sync is skipped on its revisions, without reading it. Only new
 * messages travel: when the sender's first messages are those of the last sync (their fingerprint
 * says so), only the ones after them are read and written. Never an overwrite of work the other
 * side did meanwhile (see plan.ts). Resumable: sessions go in batches, each one transaction on the
 * receiving side together with its ledger rows; a killed run is finished by the next one.
 */

export interface SyncOptions {
  /** Sessions to send, by id or unique prefix in the sending store. Default: every one (a pull: the user's own, see includeShared). */
  ids?: readonly string[];
  /** Share the receiving copies with the server's other users (true) or make them private (false); default: leave them. */
  share?: boolean;
  /** A pull without ids also brings the sessions others shared (default: the user's own, and others' an earlier pull brought). */
  includeShared?: boolean;
  /** Most sessions, and about most messages, per receiving transaction. */
  batchSessions?: number;
  batchMessages?: number;
  /** After each batch: sessions looked at so far, of how many. */
  onProgress?(done: number, total: number): void;
}

const DEFAULT_BATCH_SESSIONS = 100;
const DEFAULT_BATCH_MESSAGES = 5_000;

/** Copies sessions of the local store to the remote one (see the module comment). */
export function pushSessions(local: SessionStore, remote: SessionStore, options: SyncOptions = {}): Promise<SyncReport> {
  return transfer(engineOf(local), engineOf(remote), "push", local, options);
}

/** Copies sessions of the remote store into the local one. */
export function pullSessions(local: SessionStore, remote: SessionStore, options: SyncOptions = {}): Promise<SyncReport> {
  return transfer(engineOf(remote), engineOf(local), "pull", remote, options);
}

/** Errors of one session's data (not of the store): that session fails, the others go on. */
const isDataError = (error: unknown): boolean => error instanceof DamagedSessionError || (error instanceof VictorError && error.exitCode === 2);

async function transfer(sender: Engine, receiver: Engine, direction: SyncDirection, senderStore: SessionStore, options: SyncOptions): Promise<SyncReport> {
  const started = performance.now();
  if (sender.identity === receiver.identity) throw new InvalidSessionDataError(`Both sides of the ${direction} are the same store (${sender.location}): name another one.`);
  if (options.share !== undefined && receiver.kind !== "postgres") {
    throw new UnsupportedOnEngineError(receiver.location, "Sessions in a file are nobody else's to read: --share is for a PostgreSQL server");
  }
  // The sending side keeps a ledger row too when it is this side (a push from the local file): the receiver's comes first.
  const senderKeepsLedger = direction === "push";
  const named = options.ids !== undefined && options.ids.length > 0;
  const ids = named ? [...new Set(await Promise.all(options.ids!.map((id) => senderStore.resolveSessionId(id))))] : undefined;

  const [senderHeads, senderRows] = await sender.read(async (tx) => [await tx.syncHeads(ids), await tx.syncEntries(receiver.identity)] as const);
  const [receiverHeads, receiverRows] = await receiver.read(async (tx) => [await tx.syncHeads(), await tx.syncEntries(sender.identity)] as const);
  const index = new PairIndex(senderRows, receiverRows);
  // A pull brings the user's own sessions, and others' that an earlier pull brought (their updates).
  const heads = named || direction === "push" || options.includeShared ? senderHeads : senderHeads.filter((head) => head.writable || index.has(head.id));
  const receiverById = new Map(receiverHeads.map((head) => [head.id, head]));
  const plans = heads.map((head) => planSession(head, index.best(head, receiverById), receiverById, named));

  const results = new Map<string, SyncSessionResult>();
  const senderEntries: SyncEntry[] = [];
  const placed = new Map<string, string>();
  const shareOnly: string[] = [];
  for (const plan of plans) {
    if (plan.action !== "skip") continue;
    results.set(plan.head.id, { id: plan.head.id, targetId: plan.receiver?.id ?? null, status: plan.status, messagesSent: 0 });
    if (plan.receiver) placed.set(plan.head.id, plan.receiver.id);
    // A run killed after the receiver's commit: the sender's own row is written now.
    if (senderKeepsLedger && plan.status === "unchanged" && plan.pair?.receiverOnly) senderEntries.push(entryFor("sender", plan.pair, receiver.identity, direction));
    if (options.share !== undefined && plan.status === "unchanged" && plan.receiver?.writable && plan.receiver.shared !== options.share) shareOnly.push(plan.receiver.id);
  }
  if (shareOnly.length > 0) {
    await receiver.write(async (tx) => {
      for (const id of shareOnly) await tx.setShared(id, options.share!);
    });
    for (const result of results.values()) if (result.targetId !== null && shareOnly.includes(result.targetId)) result.shared = options.share;
  }
  if (senderEntries.length > 0) await sender.write(async (tx) => tx.upsertSyncEntries(senderEntries));

  const mapParent = (senderParentId: string): string | null => {
    const known = placed.get(senderParentId) ?? index.receiverIdOf(senderParentId, receiverById);
    if (known !== undefined) return known;
    // Not sent yet: the link keeps the id when it is free there (the parent gets it when it is sent), else goes.
    return receiverById.has(senderParentId) ? null : senderParentId;
  };
  // Parents before their forks, across batches too: a fork's link follows its parent to the id it gets there.
  const unordered = plans.filter((plan): plan is MovingPlan => plan.action !== "skip");
  const moving = parentsFirst(unordered, (plan) => plan.head.id, (plan) => plan.head.parent_id).map((i) => unordered[i]!);
  let done = plans.length - moving.length;
  options.onProgress?.(done, plans.length);
  for (const batch of batches(moving, options.batchSessions ?? DEFAULT_BATCH_SESSIONS, options.batchMessages ?? DEFAULT_BATCH_MESSAGES)) {
    const { incoming, failed } = await prepareBatch(sender, receiver, batch);
    for (const result of failed) results.set(result.id, result);
    const received = await receiveWithFallback(receiver, incoming, { senderIdentity: sender.identity, direction, share: options.share, mapParent });
    const entries: SyncEntry[] = [];
    received.forEach(({ result, pair }) => {
      results.set(result.id, result);
      if (result.targetId !== null) placed.set(result.id, result.targetId);
      if (pair) entries.push(entryFor("sender", pair, receiver.identity, direction));
    });
    if (senderKeepsLedger && entries.length > 0) await sender.write(async (tx) => tx.upsertSyncEntries(entries));
    done += batch.length;
    options.onProgress?.(done, plans.length);
  }

  const sessions = heads.map((head) => results.get(head.id)!);
  const counts = emptyCounts();
  for (const result of sessions) counts[result.status]++;
  const sent = sessions.filter((result) => result.messagesSent > 0 || ["created", "renamed", "updated", "forked"].includes(result.status));
  return {
    direction,
    from: sender.location,
    to: receiver.location,
    sessions,
    counts,
    sessionsSent: sent.length,
    messagesSent: sessions.reduce((n, result) => n + result.messagesSent, 0),
    durationMs: Math.round(performance.now() - started),
  };
}

/** Consecutive plans, at most `sessions` of them and about `messages` messages to send per batch. */
function* batches(plans: readonly MovingPlan[], sessions: number, messages: number): Generator<MovingPlan[]> {
  let batch: MovingPlan[] = [];
  let size = 0;
  for (const plan of plans) {
    const weight = messagesToSend(plan);
    if (batch.length > 0 && (batch.length >= sessions || size + weight > messages)) {
      yield batch;
      batch = [];
      size = 0;
    }
    batch.push(plan);
    size += weight;
  }
  if (batch.length > 0) yield batch;
}

const failure = (head: SyncHead, reason: string): SyncSessionResult => ({ id: head.id, targetId: null, status: "failed", messagesSent: 0, reason });

/**
 * Reads what a batch sends (one read transaction on each side) and turns each plan into a
 * delivery; a comparison reads both copies whole and links them when they hold the same content.
 */
type MovingPlan = Exclude<SyncPlan, { action: "skip" }>;

async function prepareBatch(sender: Engine, receiver: Engine, batch: readonly MovingPlan[]): Promise<{ incoming: Incoming[]; failed: SyncSessionResult[] }> {
  const failed: SyncSessionResult[] = [];
  const tryRead = async (plan: SyncPlan, read: () => Promise<Outgoing | null>): Promise<Outgoing | null> => {
    try {
      const outgoing = await read();
      if (!outgoing) failed.push(failure(plan.head, "deleted while it was being sent"));
      return outgoing;
    } catch (error) {
      if (!isDataError(error)) throw error;
      failed.push(failure(plan.head, (error as Error).message));
      return null;
    }
  };
  const outgoing = await sender.read(async (tx) => {
    const read = new Map<SyncPlan, Outgoing>();
    for (const plan of batch) {
      const since = plan.action === "update" ? plan.pair : null;
      const found = await tryRead(plan, () => readOutgoing(tx, plan.head.id, since));
      if (found) read.set(plan, found);
    }
    return read;
  });
  const compared = batch.filter((plan): plan is Extract<SyncPlan, { action: "compare" }> => plan.action === "compare" && outgoing.has(plan));
  const theirs = new Map<SyncPlan, Outgoing | null>();
  if (compared.length > 0) {
    await receiver.read(async (tx) => {
      for (const plan of compared) theirs.set(plan, await readOutgoing(tx, plan.receiver.id, null));
    });
  }
  const incoming: Incoming[] = [];
  for (const plan of batch) {
    const mine = outgoing.get(plan);
    if (!mine) continue;
    incoming.push({
      senderId: plan.head.id,
      senderParentId: mine.session.metadata.parent_id,
      outgoing: mine,
      delivery: deliveryFor(plan, mine, theirs.get(plan) ?? null),
      readWhole: () => sender.read((tx) => readOutgoing(tx, plan.head.id, null)),
    });
  }
  return { incoming, failed };
}

function deliveryFor(plan: MovingPlan, mine: Outgoing, theirs: Outgoing | null): Delivery {
  switch (plan.action) {
    case "update":
      return { kind: "update", receiverId: plan.receiver.id, expect: plan.pair.receiver };
    case "create":
      return { kind: "create", base: plan.base, renamed: false };
    case "fork":
      return { kind: "fork", base: plan.base, reason: plan.reason };
    case "compare":
      if (theirs && theirs.contentHash === mine.contentHash) return { kind: "link", receiverId: plan.receiver.id, receiver: theirs.state };
      return plan.otherwise === "fork" ? { kind: "fork", base: plan.receiver.id, reason: "changed-on-both-sides" } : { kind: "create", base: plan.head.id, renamed: true };
  }
}

/** A batch whose data the receiver refuses (one bad session rolls the transaction back) is sent one by one, so only that one fails. */
async function receiveWithFallback(receiver: Engine, batch: readonly Incoming[], options: Parameters<typeof receiveBatch>[2]): Promise<Received[]> {
  if (batch.length === 0) return [];
  try {
    return await receiveBatch(receiver, batch, options);
  } catch (error) {
    if (!isDataError(error)) throw error;
    if (batch.length === 1) return [{ result: { id: batch[0]!.senderId, targetId: null, status: "failed", messagesSent: 0, reason: (error as Error).message } }];
  }
  const received: Received[] = [];
  for (const incoming of batch) received.push(...(await receiveWithFallback(receiver, [incoming], options)));
  return received;
}

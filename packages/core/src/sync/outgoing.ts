import { decodeColumns } from "../domain/message-codec.js";
import { buildEnvelope } from "../domain/session-data.js";
import type { SideState } from "../domain/sync-entry.js";
import type { Session } from "../domain/types.js";
import type { EngineTransaction } from "../engine/engine.js";
import { readWithHistory } from "../read-history.js";
import { contentHash, extendMessagesHash, NO_MESSAGES_HASH } from "./content-hash.js";
import type { SyncPair } from "./pairs.js";

/**
 * A session as one store sends it: its envelope with all its messages and its history, or only the
 * messages after `from`
 * when the receiver holds the ones before (the prefix is unchanged since the last sync: its
 * fingerprint is the one recorded then). Read in one transaction, so the row, the messages and the
 * fingerprint agree.
 */
export interface Outgoing {
  session: Session;
  /** How many leading messages are not in `session` (the receiver keeps its own). */
  from: number;
  /** The sender's state now, its fingerprint taken over all its messages. */
  state: SideState;
  messageCount: number;
  messagesHash: string;
  contentHash: string;
}

/**
 * Reads a session to send; null when it is gone. `since`: what the last sync agreed, to send only
 * the messages after it when the sender's first messages are still those.
 */
export async function readOutgoing(tx: EngineTransaction, id: string, since: SyncPair | null): Promise<Outgoing | null> {
  const row = await tx.sessionRow(id);
  if (!row) return null;
  const count = row.message_count;
  const prefix = since !== null && since.messageCount > 0 && since.messageCount <= count ? since.messageCount : null;
  const [whole, before] = await tx.messagesFingerprints([{ id, count }, ...(prefix === null ? [] : [{ id, count: prefix }])]);
  const keep = prefix !== null && before === since!.sender.fingerprint;
  const from = keep ? prefix : 0;
  // A whole session goes with its history (the marks of what left its context, and those messages);
  // only new messages after a prefix the receiver holds need none: its history is the same.
  const epochs = row.data.epochs ?? [];
  const { messages, history } = from === 0 && epochs.length > 0 ? await readWithHistory(tx, id, epochs) : { messages: (await tx.contextColumns(id, from)).map(decodeColumns), history: null };
  const messagesHash = extendMessagesHash(keep ? since!.messagesHash : NO_MESSAGES_HASH, messages, from);
  const session = buildEnvelope(row, messages, history);
  const fingerprint = whole ?? "";
  return {
    session,
    from,
    state: { revision: row.revision, incarnation: row.incarnation, fingerprint },
    messageCount: count,
    messagesHash,
    contentHash: contentHash(session, messagesHash),
  };
}

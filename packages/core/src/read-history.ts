import { toEnvelopeHistory, type StoredRow } from "./domain/context-history.js";
import { decodeMessage } from "./domain/message-codec.js";
import type { ContextEpoch, ContextHistory, Message } from "./domain/types.js";
import type { EngineTransaction } from "./engine/engine.js";

/**
 * Every stored row of a session, decoded: its context (rows and messages, in order) and the
 * envelope history they make — what `loadSession({ all: true })`, an export and a push send.
 */
export async function readWithHistory(
  tx: EngineTransaction,
  id: string,
  epochs: readonly ContextEpoch[],
): Promise<{ rows: StoredRow[]; messages: Message[]; history: ContextHistory | null }> {
  const stored = (await tx.allRows(id)).map((r) => ({ ...r, message: decodeMessage(r) }));
  const context = stored.filter((r) => r.context_epoch === null);
  return { rows: context, messages: context.map((r) => r.message), history: toEnvelopeHistory(stored, epochs) };
}

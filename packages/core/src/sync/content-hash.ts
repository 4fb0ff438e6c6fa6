import { createHash } from "node:crypto";
import { encodeMessage } from "../domain/message-codec.js";
import type { Message, Session } from "../domain/types.js";

/**
 * What push/pull compare of a session's content, the same whichever engine holds it: the messages
 * as a hash chain over their stored encoding (so a sync that sends only new messages extends the
 * hash it recorded, without reading the others again), and the whole session as that chain plus
 * everything else the envelope holds, except what differs between two copies of one session (its
 * id, revision and parent link, which are per store).
 */

const sha256 = (...parts: string[]): string => {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\u0000");
  return hash.digest("hex");
};

/** The messages hash of no message. */
export const NO_MESSAGES_HASH = sha256("victor sessions: messages");

/** The hash of `before` (of the messages up to `from`) extended by `messages`, which follow them. */
export function extendMessagesHash(before: string, messages: readonly Message[], from: number): string {
  let hash = before;
  messages.forEach((message, i) => {
    hash = sha256(hash, JSON.stringify(encodeMessage(message, from + i)));
  });
  return hash;
}

/** JSON with object keys sorted at every level: the same text for the same value, however it was built. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonical(item === undefined ? null : item)).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Everything of a session but its messages and what is per store (id, revision, parent, count, and
 * the history outside its context: each store keeps its own, which a sync adds to, never replaces).
 */
function sessionFields(session: Session): unknown {
  const { metadata, conversation, context_history: _history, ...rest } = session;
  const { session_id: _id, revision: _revision, parent_id: _parent, message_count: _count, ...fields } = metadata;
  const { messages: _messages, ...conversationFields } = conversation;
  return { ...rest, metadata: fields, conversation: conversationFields };
}

/** The content hash of a session whose messages hash is known (the envelope's own messages are not read). */
export function contentHash(session: Session, messagesHash: string): string {
  return sha256(canonical(sessionFields(session)), messagesHash);
}

import { InvalidSessionDataError } from "./errors.js";
import { deriveTitle } from "./titles.js";
import type { Conversation, SaveSessionInput, Session } from "./types.js";

const ENVELOPE_KEYS = new Set(["metadata", "conversation", "conversation_state", "tool_selection_stats"]);
const METADATA_KEYS = new Set([
  "session_id",
  "created_at",
  "updated_at",
  "model",
  "provider",
  "profile",
  "message_count",
  "title",
  "tags",
  "title_is_custom",
  "revision",
  "parent_id",
]);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Checks that a value has the session envelope's shape (as `export` writes it) and says what is
 * wrong otherwise. `where` names the item in messages ("session 3 of backup.json").
 */
export function parseSessionEnvelope(value: unknown, where = "session"): Session {
  if (!isObject(value)) throw new InvalidSessionDataError(`${where} is not a JSON object.`);
  const { metadata, conversation } = value;
  if (!isObject(metadata)) throw new InvalidSessionDataError(`${where} has no "metadata" object.`);
  if (!isObject(conversation) || !Array.isArray(conversation.messages)) {
    throw new InvalidSessionDataError(`${where} has no "conversation.messages" list.`);
  }
  conversation.messages.forEach((m, i) => {
    if (!isObject(m) || typeof m.role !== "string") throw new InvalidSessionDataError(`${where}: message ${i} has no "role".`);
  });
  if (typeof metadata.session_id !== "string") throw new InvalidSessionDataError(`${where} has no metadata.session_id.`);
  return value as Session;
}

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/**
 * The save input that recreates an envelope: same id, timestamps, title (custom only when it was),
 * tags, state and every unknown key, at the top level and in metadata.
 */
export function toSaveInput(session: Session): SaveSessionInput & { sessionId: string } {
  const { metadata, conversation, conversation_state, tool_selection_stats, ...rest } = session;
  const extra = Object.fromEntries(Object.entries(rest).filter(([key]) => !ENVELOPE_KEYS.has(key)));
  const metadataExtra = Object.fromEntries(Object.entries(metadata).filter(([key]) => !METADATA_KEYS.has(key)));
  const messages = (conversation as Conversation).messages;
  const title = text(metadata.title) ?? "";
  const titleIsCustom = typeof metadata.title_is_custom === "boolean" ? metadata.title_is_custom : title.trim() !== "" && title !== deriveTitle(messages);
  return {
    sessionId: metadata.session_id,
    conversation,
    model: text(metadata.model) ?? "",
    provider: text(metadata.provider) ?? "",
    profile: text(metadata.profile) || "default",
    title: titleIsCustom ? title : undefined,
    tags: Array.isArray(metadata.tags) ? metadata.tags.filter((t): t is string => typeof t === "string") : [],
    conversationState: conversation_state ?? null,
    toolSelectionStats: tool_selection_stats ?? null,
    createdAt: text(metadata.created_at) || undefined,
    updatedAt: text(metadata.updated_at) || undefined,
    parentId: text(metadata.parent_id) ?? null,
    extra,
    metadataExtra,
  };
}

import type { Message } from "@victor/core";
import { isObject } from "../is-object.js";
import { imageFromPart, type ImageRef } from "./image-ref.js";

/**
 * Images of messages that `victor import` brought from Claude Code, Codex CLI or gemini-cli. A
 * message's columns hold only its text; the source records stay whole (text replaced by pointers)
 * in the extra data of the first message of the group they made, under the tool's name. A group
 * is one source turn: tool results first, then the user's message (Claude Code, gemini-cli
 * checkpoints), or one message (Codex, gemini-cli logs). Its records are the turn's own record
 * first, then lines kept with it that are not messages (abandoned branches, rolled-back turns):
 * only the first is the conversation.
 */

const TOOLS = ["claude", "codex", "gemini"] as const;

/** The parts of a user turn's own record, and where its user message is in the group. */
interface UserTurn {
  parts: unknown[];
  offset: number;
}

/** Claude Code: `{type: "user", message: {content: [tool_result…, text, image…]}}`. */
function claudeTurn(records: unknown[]): UserTurn | null {
  const record = records.find((r) => isObject(r) && r.type === "user" && isObject(r.message));
  const content = isObject(record) && isObject(record.message) ? record.message.content : undefined;
  if (!Array.isArray(content)) return null;
  const parts = content.filter((b) => !(isObject(b) && b.type === "tool_result"));
  return { parts, offset: content.length - parts.length };
}

/** Codex: a `message` response item, wrapped (`{type: "response_item", payload}`) or bare; a compaction summary has none. */
function codexTurn(records: unknown[]): UserTurn | null {
  const itemOf = (r: unknown): Record<string, unknown> | null => {
    if (!isObject(r)) return null;
    const item = r.type === "response_item" && isObject(r.payload) ? r.payload : r;
    return item.type === "message" || r.type === "compacted" ? item : null;
  };
  const item = records.map(itemOf).find((i) => i !== null);
  if (!item || item.type !== "message" || item.role !== "user" || !Array.isArray(item.content)) return null;
  return { parts: item.content, offset: 0 };
}

/** gemini-cli: a log record `{type: "user", content}` (a string, a Part or Parts), or a checkpoint's `{role: "user", parts}`. */
function geminiTurn(records: unknown[]): UserTurn | null {
  const record = records.find((r) => isObject(r) && (r.type === "user" || r.type === "gemini" || Array.isArray(r.parts)));
  if (!isObject(record)) return null;
  if (record.type === "user") return { parts: Array.isArray(record.content) ? record.content : [record.content], offset: 0 };
  if (record.role !== "user" || !Array.isArray(record.parts)) return null;
  const parts = record.parts.filter((p) => !(isObject(p) && isObject(p.functionResponse)));
  return { parts, offset: record.parts.length - parts.length };
}

const TURN = { claude: claudeTurn, codex: codexTurn, gemini: geminiTurn };

const startsGroup = (message: Message): boolean => TOOLS.some((tool) => message[tool] !== undefined);

/** The images of each imported user message, by its index in `messages`. */
export function importedImages(messages: readonly Message[]): Map<number, ImageRef[]> {
  const found = new Map<number, ImageRef[]>();
  messages.forEach((message, i) => {
    for (const tool of TOOLS) {
      const records = message[tool];
      if (!Array.isArray(records)) continue;
      const turn = TURN[tool](records);
      if (!turn) continue;
      const at = i + turn.offset;
      // The group must still be whole (a compaction may have taken part of it out): tool results, then the user message.
      const group = messages.slice(i, at + 1);
      if (messages[at]?.role !== "user" || group.slice(0, -1).some((m) => m.role !== "tool") || group.slice(1).some(startsGroup)) continue;
      const images = turn.parts.map(imageFromPart).filter((ref) => ref !== null);
      if (images.length > 0) found.set(at, images);
    }
  });
  return found;
}

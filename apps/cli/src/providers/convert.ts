import type { Conversation, Message } from "@victor/core";
import type { ImagePart, ModelMessage, ToolCallPart, ToolResultPart } from "ai";
import { isObject } from "../is-object.js";
import { imageFromPart, imageFromString, type ImageRef, type UnsentReason } from "./image-ref.js";
import { importedImages } from "./imported-images.js";

/** A tool call in either legacy style: `{id, name, arguments}` or OpenAI's `{id, type, function: {name, arguments}}`. */
interface NormalizedToolCall {
  id: string;
  name: string;
  input: unknown;
}

function parseArguments(args: unknown): unknown {
  if (typeof args !== "string") return args ?? {};
  try {
    return JSON.parse(args);
  } catch {
    return { arguments: args };
  }
}

export function normalizeToolCalls(toolCalls: unknown): NormalizedToolCall[] {
  if (!Array.isArray(toolCalls)) return [];
  return toolCalls.filter(isObject).map((call, i) => {
    const fn = isObject(call.function) ? call.function : undefined;
    const name = String(fn?.name ?? call.name ?? "unknown_tool");
    const input = parseArguments(fn ? fn.arguments : call.arguments);
    return { id: String(call.id ?? `call_${i}`), name, input };
  });
}

/** The text of stored content; an image part in a content list is a placeholder, not its base64 as text. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  if (Array.isArray(content)) {
    return content
      .map((part) => {
        if (isObject(part) && typeof part.text === "string") return part.text;
        if (typeof part === "string") return part;
        return imageFromPart(part) ? "[image]" : JSON.stringify(part);
      })
      .join("");
  }
  return JSON.stringify(content);
}

/** Images of user messages that no request can carry: they stay in the session, the model does not see them. */
export interface UnsentImages {
  /** Paths of local files (the Python Victor's `images` may hold them). */
  localFiles: number;
  /** http(s) links (see UnsentReason in image-ref.ts). */
  links: number;
  /** Any other shape: not an image of a type models take, a provider's file id, a cloud storage URI… */
  unusable: number;
}

export interface ModelPrompt {
  system?: string;
  messages: ModelMessage[];
  /** Names of tools used in the history (Anthropic wants them declared when tool blocks appear). */
  toolNames: string[];
  unsentImages: UnsentImages;
}

const UNSENT_COUNT: Record<UnsentReason, keyof UnsentImages> = { "local-file": "localFiles", link: "links", unusable: "unusable" };

/** A stored user message as the request carries it: its images, and its text without them. */
interface UserContent {
  images: ImageRef[];
  text: string;
}

/**
 * A stored user message's images — the Python Victor's `images` list (data URIs), image parts of an
 * OpenAI-style content list, and those of an imported session's source record — and its text without
 * them. Each part is read once: this runs for every message on every reply.
 */
function userContent(message: Message, imported: readonly ImageRef[]): UserContent {
  const stored = Array.isArray(message.images) ? message.images.map((v): ImageRef => (typeof v === "string" ? imageFromString(v) : { kind: "unsent", reason: "unusable" })) : [];
  const inContent: ImageRef[] = [];
  // Image parts of a content list are sent as images (or not at all), never as text.
  const textParts = Array.isArray(message.content)
    ? message.content.filter((part) => {
        const image = imageFromPart(part);
        if (image) inContent.push(image);
        return image === null;
      })
    : message.content;
  return { images: [...stored, ...inContent, ...imported], text: contentText(textParts) };
}

/**
 * Stored (legacy-shaped) messages → the SDK's ModelMessage list. Leading system messages (or the
 * conversation's system_prompt when none was added) become `system`. Tool calls without a result and
 * results without a call are left out: providers reject such a history, and it happens in old files.
 */
export function toModelPrompt(conversation: Pick<Conversation, "messages" | "system_prompt">): ModelPrompt {
  const messages = conversation.messages;
  let start = 0;
  const systemParts: string[] = [];
  while (start < messages.length && messages[start]!.role === "system") systemParts.push(contentText(messages[start++]!.content));
  if (systemParts.length === 0 && conversation.system_prompt) systemParts.push(conversation.system_prompt);

  const rest = messages.slice(start);
  const answered = new Set(rest.filter((m) => m.role === "tool" && m.tool_call_id).map((m) => String(m.tool_call_id)));
  const callNames = new Map<string, string>();
  const imported = importedImages(messages);
  const unsentImages: UnsentImages = { localFiles: 0, links: 0, unusable: 0 };
  const out: ModelMessage[] = [];
  rest.forEach((message, k) => {
    let converted: ModelMessage | null;
    if (message.role === "user") {
      const user = userContent(message, imported.get(start + k) ?? []);
      for (const image of user.images) if (image.kind === "unsent") unsentImages[UNSENT_COUNT[image.reason]]++;
      converted = userMessage(user);
    } else converted = convertMessage(message, answered, callNames);
    if (converted) out.push(converted);
  });
  return { ...(systemParts.length ? { system: systemParts.join("\n\n") } : {}), messages: out, toolNames: [...new Set(callNames.values())], unsentImages };
}

/** A user message with images is a content list: the images first (as the Python Victor sent them), then the text. */
function userMessage({ images, text }: UserContent): ModelMessage {
  const parts: ImagePart[] = [];
  for (const image of images) {
    if (image.kind === "data") parts.push({ type: "image", image: image.base64, mediaType: image.mediaType });
  }
  if (parts.length === 0) return { role: "user", content: text };
  return { role: "user", content: text === "" ? parts : [...parts, { type: "text", text }] };
}

/** Any stored message but a user's (see userMessage); null when the request must leave it out. */
function convertMessage(message: Message, answered: Set<string>, callNames: Map<string, string>): ModelMessage | null {
  const text = contentText(message.content);
  switch (message.role) {
    case "system":
      return { role: "system", content: text };
    case "assistant": {
      const calls = normalizeToolCalls(message.tool_calls).filter((c) => answered.has(c.id));
      if (calls.length === 0) return text === "" ? null : { role: "assistant", content: text };
      for (const call of calls) callNames.set(call.id, call.name);
      const parts: ToolCallPart[] = calls.map((c) => ({ type: "tool-call", toolCallId: c.id, toolName: c.name, input: c.input }));
      return { role: "assistant", content: text === "" ? parts : [{ type: "text", text }, ...parts] };
    }
    case "tool": {
      const id = message.tool_call_id ? String(message.tool_call_id) : "";
      const toolName = callNames.get(id);
      if (!toolName) return null;
      const part: ToolResultPart = { type: "tool-result", toolCallId: id, toolName, output: { type: "text", value: text } };
      return { role: "tool", content: [part] };
    }
    default:
      return { role: "user", content: text };
  }
}

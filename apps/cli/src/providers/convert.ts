import type { Conversation, Message } from "@victor/core";
import type { ModelMessage, ToolCallPart, ToolResultPart } from "ai";

/** A tool call in either legacy style: `{id, name, arguments}` or OpenAI's `{id, type, function: {name, arguments}}`. */
interface NormalizedToolCall {
  id: string;
  name: string;
  input: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

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

export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  if (Array.isArray(content)) {
    return content.map((part) => (isObject(part) && typeof part.text === "string" ? part.text : typeof part === "string" ? part : JSON.stringify(part))).join("");
  }
  return JSON.stringify(content);
}

export interface ModelPrompt {
  system?: string;
  messages: ModelMessage[];
  /** Names of tools used in the history (Anthropic wants them declared when tool blocks appear). */
  toolNames: string[];
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
  const out: ModelMessage[] = [];
  for (const message of rest) {
    const converted = convertMessage(message, answered, callNames);
    if (converted) out.push(converted);
  }
  return { ...(systemParts.length ? { system: systemParts.join("\n\n") } : {}), messages: out, toolNames: [...new Set(callNames.values())] };
}

function convertMessage(message: Message, answered: Set<string>, callNames: Map<string, string>): ModelMessage | null {
  const text = contentText(message.content);
  switch (message.role) {
    case "system":
      return { role: "system", content: text };
    case "user":
      return { role: "user", content: text };
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

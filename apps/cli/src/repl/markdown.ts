import type { Message } from "@victor/core";
import { contentText, normalizeToolCalls } from "../providers/convert.js";

const HEADINGS: Record<string, string> = { system: "System", user: "User", assistant: "Assistant", tool: "Tool result" };

/** A readable Markdown transcript of a conversation. */
export function toMarkdown(messages: readonly Message[], meta: { title: string; provider: string; model: string }): string {
  const lines = [`# ${meta.title}`, "", `Model: ${meta.provider}:${meta.model} · ${messages.length} messages`, ""];
  for (const message of messages) {
    const heading = HEADINGS[message.role] ?? message.role;
    lines.push(`## ${heading}${message.role === "tool" && message.name ? ` (${message.name})` : ""}`, "");
    const text = contentText(message.content);
    if (text) lines.push(text, "");
    for (const call of normalizeToolCalls(message.tool_calls)) {
      lines.push(`Tool call \`${call.name}\`:`, "", "```json", JSON.stringify(call.input, null, 2), "```", "");
    }
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

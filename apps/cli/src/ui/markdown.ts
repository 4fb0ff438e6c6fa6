import type { Message, Session } from "@victor/core";
import { contentText, extraNotes, summarizeToolCalls } from "./transcript.js";

/** What a Markdown transcript shows: a stored session, or the conversation open in a chat. */
export interface TranscriptSource {
  title: string;
  /** null for a conversation that was never saved. */
  sessionId: string | null;
  model: string;
  provider: string;
  createdAt?: string;
  updatedAt?: string;
  tags?: readonly string[];
  parentId?: string | null;
  messages: readonly Message[];
}

export function transcriptOf(session: Session): TranscriptSource {
  const m = session.metadata;
  return {
    title: m.title,
    sessionId: m.session_id,
    model: m.model,
    provider: m.provider,
    createdAt: m.created_at,
    updatedAt: m.updated_at,
    tags: Array.isArray(m.tags) ? m.tags : [],
    parentId: m.parent_id,
    messages: session.conversation.messages,
  };
}

/**
 * The one Markdown transcript format, shared by `/export` and `sessions export --format markdown`.
 * An export keeps the exact text: nothing here is sanitised for a terminal.
 */
export function renderMarkdown(source: TranscriptSource): string {
  const out: string[] = [`# ${source.title || "Untitled Session"}`, ""];
  const meta: [string, string][] = [
    ["Session", source.sessionId ? `\`${source.sessionId}\`` : "not saved"],
    ["Model", source.model || "-"],
    ["Provider", source.provider || "-"],
  ];
  if (source.createdAt) meta.push(["Created", source.createdAt]);
  if (source.updatedAt) meta.push(["Updated", source.updatedAt]);
  meta.push(["Messages", String(source.messages.length)]);
  if (source.tags && source.tags.length > 0) meta.push(["Tags", source.tags.join(", ")]);
  if (source.parentId) meta.push(["Forked from", `\`${source.parentId}\``]);
  for (const [k, v] of meta) out.push(`- **${k}:** ${v}`);
  for (const message of source.messages) {
    const role = message.role.charAt(0).toUpperCase() + message.role.slice(1);
    out.push("", `## ${role}${message.name ? ` (${message.name})` : ""}`, "");
    const text = contentText(message.content);
    if (message.role === "tool") out.push(fence(text));
    else if (text !== "") out.push(text);
    for (const call of summarizeToolCalls(message.tool_calls)) out.push("", `**Tool call:** \`${call.name}\``, "", fence(call.args, "json"));
    out.push(...extraNotes(message).map((n) => `_${n}_`));
  }
  return `${out.join("\n")}\n`;
}

/** A code fence longer than any backtick run inside the text, so content never breaks out of it. */
function fence(text: string, lang = ""): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = "`".repeat(Math.max(3, longest + 1));
  return `${ticks}${lang}\n${text}\n${ticks}`;
}

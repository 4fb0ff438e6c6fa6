import type { Message, Session } from "@victor/core";
import { displayWidth, renderPanel, sanitizeLine, sanitizeText, truncateToWidth, wrapToWidth, type Colors } from "@victor/terminal";
import { isObject } from "../is-object.js";
import { formatTimestamp, plural } from "./format.js";
import { contextView, historyEntries, historySummary, leftBecause, summariseOutside, type HistoryEntry } from "./history-views.js";

/**
 * The readable text of a message's content: strings as they are; content-part lists (`[{type:"text",
 * text}, {type:"image_url"}, …]`) as their text with placeholders for the rest; anything else as JSON.
 */
export function contentText(content: unknown): string {
  if (content === undefined || content === null) return "";
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => {
        if (typeof part === "string") return part;
        if (isObject(part)) {
          if (typeof part.text === "string") return part.text;
          const type = typeof part.type === "string" ? part.type : "part";
          if (type.includes("image")) return "[image]";
          if (type === "tool_use" || type === "tool-call") return `[tool call: ${String(part.name ?? part.toolName ?? "?")}]`;
          if (type === "tool_result" || type === "tool-result") return `[tool result]\n${contentText(part.content ?? part.output ?? "")}`;
          return `[${type}]`;
        }
        return JSON.stringify(part);
      })
      .join("\n");
  }
  return JSON.stringify(content, null, 2);
}

export interface ToolCallSummary {
  name: string;
  args: string;
  id?: string;
}

/** Tool calls in both stored styles: OpenAI `{function: {name, arguments}}` and flat `{name, arguments}`. */
export function summarizeToolCalls(toolCalls: unknown): ToolCallSummary[] {
  if (!Array.isArray(toolCalls)) return [];
  return toolCalls.map((call) => {
    if (!isObject(call)) return { name: "?", args: JSON.stringify(call) };
    const fn = isObject(call.function) ? call.function : call;
    const name = typeof fn.name === "string" ? fn.name : typeof call.type === "string" ? call.type : "?";
    const raw = fn.arguments ?? fn.args ?? fn.input ?? call.input;
    let args: string;
    if (typeof raw === "string") {
      try {
        args = JSON.stringify(JSON.parse(raw));
      } catch {
        args = raw;
      }
    } else args = raw === undefined ? "" : JSON.stringify(raw);
    return { name, args, id: typeof call.id === "string" ? call.id : undefined };
  });
}

/** Notes about what a message carries besides text (images). */
export function extraNotes(message: Message): string[] {
  const notes: string[] = [];
  if (Array.isArray(message.images) && message.images.length > 0) notes.push(`[${plural(message.images.length, "image")} attached]`);
  return notes;
}

/** What `show` says of a fork's parent: its id and point, and whether it still exists. */
function forkLine(session: Session, parentExists: boolean): string | null {
  const m = session.metadata;
  if (!m.parent_id) return null;
  const point = typeof m.fork_point === "number" ? ` at message ${m.fork_point}` : "";
  return `${m.parent_id}${point}${parentExists ? "" : " (deleted since; this fork keeps its messages)"}`;
}

/** The metadata panel of `victor sessions show`. */
export function renderSessionPanel(c: Colors, session: Session, width: number | undefined, options: { parentExists?: boolean } = {}): string {
  const m = session.metadata;
  const history = historySummary(session);
  const lines: [string, string][] = [
    ["ID", m.session_id],
    ["Title", m.title || "-"],
    ["Model", m.model || "-"],
    ["Provider", m.provider || "-"],
    ["Profile", m.profile || "default"],
    ["Messages", String(session.conversation.messages.length)],
    ...(history ? [["History", `${history} · show --all`] as [string, string]] : []),
    ["Created", formatTimestamp(m.created_at)],
    ["Updated", formatTimestamp(m.updated_at)],
  ];
  if (Array.isArray(m.tags) && m.tags.length > 0) lines.push(["Tags", m.tags.map(String).join(", ")]);
  const fork = forkLine(session, options.parentExists ?? true);
  if (fork) lines.push(["Forked from", fork]);
  return renderPanel(c, "Session", lines, { footer: `Resume: victor chat --resume ${m.session_id}`, width });
}

const ROLE_COLOR: Record<string, "green" | "cyan" | "magenta" | "yellow"> = { user: "green", assistant: "cyan", system: "magenta", tool: "yellow" };

/** Our own dim lines (a note, a divider): wrapped to the width when there is one. */
const dimLines = (c: Colors, text: string, width: number | undefined): string => wrapToWidth(text, width).map((line) => c.dim(line)).join("\n");

/**
 * One message for a terminal: a header, its content in full, tool calls summarised (sanitised: stored
 * text). The header fits `width` (the role and call id are cut, the note goes below); the content is
 * left for the terminal to wrap, so code in it stays copyable.
 */
function renderMessage(c: Colors, message: Message, label: string, note: string, width: number | undefined): string {
  const paint = c[ROLE_COLOR[message.role] ?? "white"];
  const role = sanitizeLine(String(message.role));
  const who = message.name ? `${role} (${sanitizeLine(String(message.name))})` : role;
  const call = message.tool_call_id ? ` ← ${sanitizeLine(String(message.tool_call_id))}` : "";
  const plain = `${label} ${who}${call}${note ? ` ${note}` : ""}`;
  let header: string;
  if (width === undefined || displayWidth(plain) <= width) header = `${c.dim(label)} ${c.bold(paint(who))}${call ? c.dim(call) : ""}${note ? ` ${c.dim(note)}` : ""}`;
  else {
    const room = Math.max(1, width - displayWidth(label) - 1);
    const shownWho = truncateToWidth(who, room);
    const shownCall = truncateToWidth(call, room - displayWidth(shownWho));
    header = `${c.dim(label)} ${c.bold(paint(shownWho))}${shownCall ? c.dim(shownCall) : ""}${note ? `\n${dimLines(c, note, width)}` : ""}`;
  }
  const body: string[] = [];
  const text = sanitizeText(contentText(message.content));
  if (text !== "") body.push(text);
  for (const call of summarizeToolCalls(message.tool_calls)) body.push(c.yellow(`→ tool call ${sanitizeLine(call.name)}(${sanitizeLine(truncateChars(call.args, 200))})`));
  body.push(...extraNotes(message).map((n) => c.dim(n)));
  return [header, ...body].join("\n");
}

/** A message outside the context (show --all): dimmed label with what took it out; a kept one points at its copy. */
function renderOutside(c: Colors, entry: Extract<HistoryEntry, { inContext: false }>, width: number | undefined): string {
  const why = leftBecause(entry.change);
  if (entry.keptAs !== null) return dimLines(c, `· ${sanitizeLine(String(entry.message.role))} — ${why}, kept: carried over as #${entry.keptAs}`, width);
  return renderMessage(c, entry.message, "·", `[${why}]`, width);
}

/**
 * The conversation for a terminal, numbered as the model sees it (#1, #2 …). A session with a
 * history shows a line where messages left the context; with `all`, those messages themselves,
 * each marked with what took it out (the session must be loaded with `{ all: true }`). Our own
 * lines fit `width` (undefined: a pipe).
 */
export function renderConversation(c: Colors, session: Session, options: { all?: boolean; width?: number } = {}): string {
  const { width } = options;
  const entries = historyEntries(session);
  if (entries.length === 0) return c.dim("(no messages)");
  const numbered = (e: Extract<HistoryEntry, { inContext: true }>): string => renderMessage(c, e.message, `#${e.number}`, e.carriedFrom ? "(carried over)" : "", width);
  const blocks = options.all
    ? entries.map((e) => (e.inContext ? numbered(e) : renderOutside(c, e, width)))
    : contextView(entries).map((item) => ("message" in item ? numbered(item.message) : dimLines(c, `── ${summariseOutside(item.outside)} · show --all ──`, width)));
  return blocks.join("\n\n");
}

/** Cuts text to `max` characters with an ellipsis (tool arguments in a one-line summary). */
function truncateChars(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : text;
}

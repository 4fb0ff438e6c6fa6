import type { Message, Session } from "@victor/core";
import { contextView, historyEntries, historySummary, leftBecause, summariseOutside, type HistoryEntry } from "./history-views.js";
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
  /** How many of the parent's messages a fork copied. */
  forkPoint?: number | null;
  messages: readonly Message[];
  /** A stored session's history (loaded with `{ all: true }`), and whether to show the messages outside the context too. */
  history?: { entries: HistoryEntry[]; summary: string | null; all: boolean };
}

/** The transcript of a stored session (load it with `{ all: true }` for its history); `all`: with every message outside the context. */
export function transcriptOf(session: Session, options: { all?: boolean } = {}): TranscriptSource {
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
    forkPoint: m.fork_point,
    messages: session.conversation.messages,
    ...(session.context_history ? { history: { entries: historyEntries(session), summary: historySummary(session), all: options.all === true } } : {}),
  };
}

/** One message as a Markdown section. */
function messageSection(message: Message, note = ""): string[] {
  const out: string[] = [];
  const role = message.role.charAt(0).toUpperCase() + message.role.slice(1);
  out.push("", `## ${role}${message.name ? ` (${message.name})` : ""}${note}`, "");
  const text = contentText(message.content);
  if (message.role === "tool") out.push(fence(text));
  else if (text !== "") out.push(text);
  for (const call of summarizeToolCalls(message.tool_calls)) out.push("", `**Tool call:** \`${call.name}\``, "", fence(call.args, "json"));
  out.push(...extraNotes(message).map((n) => `_${n}_`));
  return out;
}

/** The sections of a session with a history: the context, and where messages left it (all of them with `all`). */
function historySections(history: NonNullable<TranscriptSource["history"]>): string[] {
  if (history.all) {
    return history.entries.flatMap((e) => {
      if (e.inContext) return messageSection(e.message, e.carriedFrom ? " _(carried over)_" : "");
      const why = leftBecause(e.change);
      if (e.keptAs !== null) return ["", `_${e.message.role}: ${why}, kept: carried over as message ${e.keptAs}_`];
      return messageSection(e.message, ` _(outside the context: ${why})_`);
    });
  }
  return contextView(history.entries).flatMap((item) => ("message" in item ? messageSection(item.message.message) : ["", `_── ${summariseOutside(item.outside)} ──_`]));
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
  if (source.history?.summary) meta.push(["History", source.history.summary]);
  if (source.tags && source.tags.length > 0) meta.push(["Tags", source.tags.join(", ")]);
  if (source.parentId) meta.push(["Forked from", `\`${source.parentId}\`${typeof source.forkPoint === "number" ? ` at message ${source.forkPoint}` : ""}`]);
  for (const [k, v] of meta) out.push(`- **${k}:** ${v}`);
  if (source.history) out.push(...historySections(source.history));
  else for (const message of source.messages) out.push(...messageSection(message));
  return `${out.join("\n")}\n`;
}

/** A code fence longer than any backtick run inside the text, so content never breaks out of it. */
function fence(text: string, lang = ""): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = "`".repeat(Math.max(3, longest + 1));
  return `${ticks}${lang}\n${text}\n${ticks}`;
}

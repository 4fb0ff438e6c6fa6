import { InvalidSessionDataError } from "./errors.js";
import type { Message } from "./types.js";

/** A message as its `messages` row stores it. */
export interface MessageRow {
  role: string;
  content: string | null;
  name: string | null;
  tool_calls: string | null;
  tool_call_id: string | null;
  extra: string | null;
}

/**
 * What the `extra` column holds, only the parts that are needed:
 * `fields` — every non-standard key of the message;
 * `absent` — standard keys the message did not have (so none appears as null on load);
 * `values` — standard keys whose value a column cannot hold as is (non-text content, NUL, lone surrogates).
 */
interface ExtraColumn {
  fields?: Record<string, unknown>;
  absent?: string[];
  values?: Record<string, unknown>;
}

/** A plain record without a prototype, so a "__proto__" key is stored like any other key. */
const dictionary = (): Record<string, unknown> => Object.create(null) as Record<string, unknown>;

const TEXT_KEYS = ["content", "name", "tool_call_id"] as const;
const STANDARD_KEYS = new Set(["role", "content", "name", "tool_calls", "tool_call_id"]);

/**
 * Text every engine stores as is. A lone surrogate has no UTF-8 form (SQLite and the PostgreSQL
 * driver would store U+FFFD instead), and PostgreSQL's text rejects NUL. Such text is kept twice:
 * its exact value in `extra.values` (JSON escapes hold any string) and a searchable copy in its
 * column (storableCopy), so load(save(x)) = x and the text is found by search on every engine.
 */
export function isStorableText(value: unknown): value is string {
  return typeof value === "string" && !value.includes("\0") && value.isWellFormed();
}

/** The searchable stand-in for text no engine can hold: every NUL and lone surrogate becomes U+FFFD. */
export function storableCopy(text: string): string {
  return text.toWellFormed().replaceAll("\0", "\uFFFD");
}

export function encodeMessage(message: Message, position: number): MessageRow {
  if (message === null || typeof message !== "object" || Array.isArray(message)) {
    throw new InvalidSessionDataError(`Message ${position} is not an object.`);
  }
  if (typeof message.role !== "string") {
    throw new InvalidSessionDataError(`Message ${position} has no role (expected a string such as "user").`);
  }
  const extra: ExtraColumn = {};
  const row: MessageRow = { role: message.role, content: null, name: null, tool_calls: null, tool_call_id: null, extra: null };
  if (!isStorableText(message.role)) {
    row.role = storableCopy(message.role);
    (extra.values ??= dictionary()).role = message.role;
  }

  for (const key of TEXT_KEYS) {
    const value = message[key];
    if (value === undefined) (extra.absent ??= []).push(key);
    else if (value === null) row[key] = null;
    else if (isStorableText(value)) row[key] = value;
    else {
      // Not text at all (content as a list of parts, say): JSON only. Text: JSON plus a searchable copy.
      (extra.values ??= dictionary())[key] = value;
      if (typeof value === "string") row[key] = storableCopy(value);
    }
  }
  const toolCalls = message.tool_calls;
  if (toolCalls === undefined) (extra.absent ??= []).push("tool_calls");
  else if (toolCalls !== null) row.tool_calls = JSON.stringify(toolCalls);

  for (const key of Object.keys(message)) {
    if (STANDARD_KEYS.has(key) || message[key] === undefined) continue;
    (extra.fields ??= dictionary())[key] = message[key];
  }
  if (extra.fields || extra.absent || extra.values) row.extra = JSON.stringify(extra);
  return row;
}

/**
 * A message's columns in their stored order, as an engine reads them for a load (any columns after
 * them, a position say, are the reader's): an array, not an object — a 10,000-message load reads
 * 10,000 of them, and an object per row cost a load half its time.
 */
export type MessageColumns = readonly [role: string, content: string | null, name: string | null, tool_calls: string | null, tool_call_id: string | null, extra: string | null, ...more: unknown[]];

export function decodeMessage(row: MessageRow): Message {
  return decode(row.role, row.content, row.name, row.tool_calls, row.tool_call_id, row.extra);
}

export function decodeColumns(columns: MessageColumns): Message {
  return decode(columns[0], columns[1], columns[2], columns[3], columns[4], columns[5]);
}

/** The row of stored columns (for the comparisons of a save). */
export function rowOfColumns(columns: MessageColumns): MessageRow {
  return { role: columns[0], content: columns[1], name: columns[2], tool_calls: columns[3], tool_call_id: columns[4], extra: columns[5] };
}

function decode(role: string, content: string | null, name: string | null, toolCalls: string | null, toolCallId: string | null, extraText: string | null): Message {
  // The usual message (every standard key, nothing else) has no extra column: built in one step,
  // with the same keys in the same order as below.
  if (extraText === null) return { role, content, name, tool_calls: toolCalls === null ? null : JSON.parse(toolCalls), tool_call_id: toolCallId };
  const extra = JSON.parse(extraText) as ExtraColumn;
  const absent = new Set(extra.absent);
  const values = extra.values ?? {};
  const message: Message = { role: "role" in values ? (values.role as string) : role };
  const put = (key: "content" | "name" | "tool_call_id" | "tool_calls", stored: unknown): void => {
    if (absent.has(key)) return;
    (message as Record<string, unknown>)[key] = key in values ? values[key] : stored;
  };
  put("content", content);
  put("name", name);
  put("tool_calls", toolCalls === null ? null : JSON.parse(toolCalls));
  put("tool_call_id", toolCallId);
  // defineProperty, not assignment: a "__proto__" key must stay a key, not replace the prototype.
  for (const [key, value] of Object.entries(extra.fields ?? {})) {
    Object.defineProperty(message, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return message;
}

/** A row's content as one string, whatever other columns the row object carries: compares rows by content. */
export function rowText(row: MessageRow): string {
  return JSON.stringify([row.role, row.content, row.name, row.tool_calls, row.tool_call_id, row.extra]);
}

export function sameRow(a: MessageRow, b: MessageRow): boolean {
  return (
    a.role === b.role &&
    a.content === b.content &&
    a.name === b.name &&
    a.tool_calls === b.tool_calls &&
    a.tool_call_id === b.tool_call_id &&
    a.extra === b.extra
  );
}

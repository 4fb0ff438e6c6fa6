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

export function decodeMessage(row: MessageRow): Message {
  const extra: ExtraColumn = row.extra ? (JSON.parse(row.extra) as ExtraColumn) : {};
  const absent = new Set(extra.absent);
  const values = extra.values ?? {};
  const message: Message = { role: "role" in values ? (values.role as string) : row.role };
  const put = (key: "content" | "name" | "tool_call_id" | "tool_calls", stored: unknown): void => {
    if (absent.has(key)) return;
    (message as Record<string, unknown>)[key] = key in values ? values[key] : stored;
  };
  put("content", row.content);
  put("name", row.name);
  put("tool_calls", row.tool_calls === null ? null : JSON.parse(row.tool_calls));
  put("tool_call_id", row.tool_call_id);
  // defineProperty, not assignment: a "__proto__" key must stay a key, not replace the prototype.
  for (const [key, value] of Object.entries(extra.fields ?? {})) {
    Object.defineProperty(message, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return message;
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

import { isoNow, pythonSourceKey, toIsoUtc, type ImportItem, type ConflictPolicy, type PythonConversion, type PythonRow, type PythonSessionRecord, type PythonValue } from "@victor/core";
import { envelopeToInput } from "../convert.js";
import { validateLegacySession, type LegacySession } from "../legacy-schema.js";
import { PYTHON_TIME_COLUMNS, zoneFor } from "./time-columns.js";

export interface PythonConvertContext {
  /** The database file as the user named it (absolute): part of every ledger key. */
  dbPath: string;
  /** The zone the Python Victor's machine was in; naive local timestamps are read in it. */
  timeZone: string;
  onConflict: ConflictPolicy;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Flavour = "guide" | "conversation-store-envelope" | "conversation-store";

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function parseJson(value: PythonValue | undefined): unknown {
  if (typeof value !== "string") return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** Equality of JSON values, key order ignored. */
function sameJson(a: unknown, b: unknown): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(canonical) : isObject(value) ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k])])) : value;
  return JSON.stringify(canonical(a ?? null)) === JSON.stringify(canonical(b ?? null));
}

const codePoints = (text: string): string[] => Array.from(text);

/**
 * Titles the Python Victor derived itself (so they are not kept as the user's): SQLiteSessionPersistence
 * cut the first user message to 47 characters + "..." past 50, else "Untitled Session"; ConversationStore
 * took its first 50 characters.
 */
function pythonDerivedTitles(messages: readonly unknown[]): string[] {
  const firstUser = messages.find((m) => isObject(m) && m.role === "user") as Record<string, unknown> | undefined;
  if (!firstUser) return ["Untitled Session", "Untitled"];
  const content = typeof firstUser.content === "string" ? firstUser.content : String(firstUser.content ?? "");
  const chars = codePoints(content);
  return [chars.length > 50 ? `${chars.slice(0, 47).join("")}...` : content, chars.slice(0, 50).join("")];
}

/** The columns of a row other than the ones the envelope was read from. */
function without(row: PythonRow, ...columns: string[]): PythonRow {
  return Object.fromEntries(Object.entries(row).filter(([key]) => !columns.includes(key)));
}

/** A stored envelope in the legacy shape (metadata + conversation.messages), or null. */
function envelopeIn(value: unknown): LegacySession | null {
  if (!isObject(value) || !isObject(value.metadata) || !isObject(value.conversation)) return null;
  const checked = validateLegacySession(value);
  return checked.ok ? checked.session : null;
}

/**
 * Per message row, the columns the conversation message does not already hold (its id, its own
 * timestamp, token counts, lineage columns …), so every column stays reachable.
 */
function messageLeftovers(rows: readonly PythonRow[], messages: readonly unknown[], flavour: Flavour): PythonRow[] {
  return rows.map((row, i) => {
    const message = (isObject(messages[i]) ? messages[i] : {}) as Record<string, unknown>;
    const out: PythonRow = {};
    for (const [column, value] of Object.entries(row)) {
      if (column === "session_id") continue;
      if ((column === "role" || column === "content" || column === "tool_call_id") && value === (message[column] ?? null)) continue;
      if (flavour === "guide" && column === "tool_calls" && sameJson(parseJson(value) ?? null, message.tool_calls || null)) continue;
      if (flavour === "conversation-store-envelope") {
        if (column === "tool_name" && value === (message.name ?? null)) continue;
        if (column === "metadata") {
          const { role: _r, content: _c, name: _n, tool_call_id: _t, ...rest } = message;
          if (sameJson(parseJson(value) ?? {}, rest)) continue;
        }
      }
      out[column] = value;
    }
    return out;
  });
}

function normalised(value: PythonValue | undefined, zone: string): string | null {
  return typeof value === "string" && value !== "" ? toIsoUtc(value, zone) : null;
}

interface Built {
  flavour: Flavour;
  envelope: LegacySession;
  /** What goes to metadata.python besides source/database/schema. */
  python: Record<string, unknown>;
  messageTimes?: (string | null)[];
  fallbackTime: string | null;
}

function fromGuideRow(record: PythonSessionRecord, zone: string): Built | { failed: string } {
  const { row } = record;
  const columns = PYTHON_TIME_COLUMNS.guide;
  const stored = envelopeIn(parseJson(row.data));
  // A guide table the ConversationStore rebuilt keeps each message's created_at in `timestamp`.
  const messageTimes = record.messages.map((m) => {
    const value = m.created_at ?? m.timestamp;
    return normalised(value, zoneFor(m.created_at !== undefined ? columns.message.created_at : "python-local", zone, value));
  });
  const fallbackTime = normalised(row.created_at, zoneFor(columns.session.created_at, zone));
  if (stored) {
    const metadata = { ...stored.metadata };
    for (const key of ["model", "provider", "profile"] as const) if (typeof metadata[key] !== "string" && typeof row[key] === "string") metadata[key] = row[key];
    const envelope = { ...stored, metadata };
    const messages = envelope.conversation.messages;
    return {
      flavour: "guide",
      envelope,
      python: { row: without(row, "data"), metadata: stored.metadata ?? null, messages: messageLeftovers(record.messages, messages, "guide") },
      messageTimes: record.messages.length === messages.length ? messageTimes : undefined,
      fallbackTime,
    };
  }
  // No usable envelope in `data`: the row's own columns and its message rows are all there is.
  if (typeof row.data === "string" && parseJson(row.data) === undefined) return { failed: "its data column is not valid JSON" };
  const messages = record.messages.map((m) => ({ role: String(m.role ?? ""), content: m.content, tool_calls: parseJson(m.tool_calls) ?? null }));
  const envelope = {
    metadata: { title: typeof row.name === "string" ? row.name : undefined, model: row.model, provider: row.provider, profile: row.profile, created_at: row.created_at, updated_at: row.updated_at },
    conversation: { messages },
  } as unknown as LegacySession;
  return { flavour: "guide", envelope, python: { row, messages: messageLeftovers(record.messages, messages, "guide") }, messageTimes, fallbackTime };
}

const STORE_STATE_KEYS = ["conversation_state", "execution_state", "session_ledger", "compaction_hierarchy"] as const;

function fromStoreRow(record: PythonSessionRecord, zone: string): Built {
  const { row } = record;
  const columns = PYTHON_TIME_COLUMNS["conversation-store"];
  const messageTimes = record.messages.map((m) => normalised(m.timestamp, zoneFor(columns.message.timestamp, zone, m.timestamp)));
  const fallbackTime = normalised(row.created_at, zoneFor(columns.session.created_at, zone));
  const provider = typeof row.provider === "string" && row.provider.trim() !== "" ? row.provider : (record.providerName ?? undefined);
  const parsed = parseJson(row.metadata);
  const stored = envelopeIn(parsed);
  if (stored) {
    // Written by the deprecated SQLiteSessionPersistence: the whole envelope is in `metadata`.
    const metadata = { ...stored.metadata };
    if (typeof metadata.provider !== "string" && provider) metadata.provider = provider;
    const messages = stored.conversation.messages;
    return {
      flavour: "conversation-store-envelope",
      envelope: { ...stored, metadata },
      python: { row: without(row, "metadata"), metadata: stored.metadata ?? null, provider_name: record.providerName, messages: messageLeftovers(record.messages, messages, "conversation-store-envelope") },
      messageTimes: record.messages.length === messages.length ? messageTimes : undefined,
      fallbackTime,
    };
  }
  // ConversationStore's own rows: messages from the messages table, shaped as its load_session()
  // returned them; preview rows (metadata.is_preview) and metadata.preview_messages are previews.
  const meta = isObject(parsed) ? parsed : {};
  const messages: Record<string, unknown>[] = [];
  const previews: unknown[] = [];
  const times: (string | null)[] = [];
  const leftovers: PythonRow[] = [];
  record.messages.forEach((m, i) => {
    const messageMeta = parseJson(m.metadata);
    const dict: Record<string, unknown> = {
      role: m.role,
      content: m.content,
      timestamp: m.timestamp,
      token_count: m.token_count,
      priority: m.priority,
      tool_name: m.tool_name,
      tool_call_id: m.tool_call_id,
      metadata: isObject(messageMeta) ? messageMeta : {},
    };
    // Its tool calls were merged into metadata; the top-level key lets a model continue the session.
    if (isObject(messageMeta) && Array.isArray(messageMeta.tool_calls)) dict.tool_calls = messageMeta.tool_calls;
    const rest = without(m, "session_id", "role", "content", "timestamp", "token_count", "priority", "tool_name", "tool_call_id", ...(isObject(messageMeta) || m.metadata === null ? ["metadata"] : []));
    leftovers.push(rest);
    if (isObject(messageMeta) && messageMeta.is_preview) previews.push(dict);
    else {
      messages.push(dict);
      times.push(messageTimes[i] ?? null);
    }
  });
  if (Array.isArray(meta.preview_messages)) previews.push(...meta.preview_messages);
  const envelope: Record<string, unknown> = {
    metadata: {
      session_id: record.key,
      created_at: row.created_at,
      updated_at: row.last_activity,
      model: typeof row.model === "string" ? row.model : "",
      provider: provider ?? "",
      profile: typeof row.profile === "string" ? row.profile : "default",
      message_count: messages.length,
      title: typeof meta.title === "string" ? meta.title : "",
      tags: Array.isArray(meta.tags) ? meta.tags : [],
    },
    conversation: { messages, preview_messages: previews },
    conversation_state: meta.conversation_state ?? null,
    tool_selection_stats: null,
  };
  for (const key of STORE_STATE_KEYS.slice(1)) envelope[key] = meta[key] ?? null;
  const rawMeta = isObject(parsed) ? Object.fromEntries(Object.entries(meta).filter(([k]) => k !== "preview_messages" && !(STORE_STATE_KEYS as readonly string[]).includes(k))) : null;
  const rowRest = isObject(parsed) || row.metadata === null ? without(row, "metadata") : row;
  return {
    flavour: "conversation-store",
    envelope: envelope as unknown as LegacySession,
    python: { row: rowRest, metadata: rawMeta, provider_name: record.providerName, messages: leftovers },
    messageTimes: times,
    fallbackTime,
  };
}

/**
 * One session of a Python Victor database → the import item that recreates it losslessly: its
 * envelope (the stored one, or ConversationStore's rows shaped as its own load_session returned
 * them), timestamps normalised per column (see time-columns.ts), and under metadata.python every
 * column of its rows not shown elsewhere, verbatim — original timestamp strings included.
 */
export function convertPythonSession(record: PythonSessionRecord, ctx: PythonConvertContext): PythonConversion {
  const row = record.row;
  const isGuideRow = typeof row.data === "string" && typeof row.id === "string" && row.id === record.key;
  const built = isGuideRow || !("session_id" in row) ? fromGuideRow(record, ctx.timeZone) : fromStoreRow(record, ctx.timeZone);
  if ("failed" in built) return built;
  const messages = built.envelope.conversation.messages;
  const converted = envelopeToInput(built.envelope, {
    sessionId: record.key,
    fallbackTime: built.fallbackTime ?? isoNow(),
    timeZone: ctx.timeZone,
    derivedTitles: pythonDerivedTitles(messages),
  });
  if (!converted.ok) return { failed: converted.reason };
  const source = pythonSourceKey(ctx.dbPath, record);
  const schema = built.flavour === "guide" ? "guide" : "conversation-store";
  converted.input.metadataExtra = { ...converted.input.metadataExtra, python: { source, database: ctx.dbPath, schema, ...built.python } as Json };
  if (built.messageTimes) converted.input.messageTimes = built.messageTimes;
  const item: ImportItem = {
    input: converted.input,
    onConflict: ctx.onConflict,
    source: { key: source, size: record.size, sha256: record.sha256, reason: converted.notes.length > 0 ? converted.notes.join("; ") : null },
  };
  return { item };
}

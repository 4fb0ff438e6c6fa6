import { z } from "zod";

/**
 * The legacy JSON session file as old Python releases of Victor wrote it. Every object is loose:
 * unknown keys pass through untouched (they are kept on import). Missing keys take legacy defaults.
 */
const nullableText = z.string().nullish();

export const legacyMessageSchema = z.looseObject({
  role: z.string(),
  name: nullableText,
  tool_call_id: nullableText,
});

export const legacyMetadataSchema = z.looseObject({
  session_id: nullableText,
  created_at: nullableText,
  updated_at: nullableText,
  model: nullableText,
  provider: nullableText,
  profile: nullableText,
  message_count: z.number().nullish(),
  title: nullableText,
  tags: z.array(z.string()).nullish(),
});

export const legacyConversationSchema = z.looseObject({
  system_prompt: nullableText,
  system_added: z.boolean().nullish(),
  messages: z.array(legacyMessageSchema),
  max_history: z.number().nullish(),
  preview_messages: z.array(z.unknown()).nullish(),
});

export const legacySessionSchema = z.looseObject({
  metadata: legacyMetadataSchema.nullish(),
  conversation: legacyConversationSchema,
  conversation_state: z.unknown().optional(),
  tool_selection_stats: z.unknown().optional(),
});

export type LegacySession = z.infer<typeof legacySessionSchema>;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isNullish = (v: unknown): boolean => v === null || v === undefined;
const nullishText = (v: unknown): boolean => isNullish(v) || typeof v === "string";
const nullishNumber = (v: unknown): boolean => isNullish(v) || typeof v === "number";

/**
 * The schema above, as plain checks: true only for a value the schema accepts. Every file of a
 * migration is checked, and zod builds a copy of each (messages included) to do it; only a file
 * this says no to goes through zod, for its precise complaint.
 */
export function surelyLegacySession(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const { metadata: m, conversation: c } = value;
  if (!isRecord(c) || !Array.isArray(c.messages)) return false;
  if (!nullishText(c.system_prompt) || !(isNullish(c.system_added) || typeof c.system_added === "boolean") || !nullishNumber(c.max_history)) return false;
  if (!(isNullish(c.preview_messages) || Array.isArray(c.preview_messages))) return false;
  for (const message of c.messages) {
    if (!isRecord(message) || typeof message.role !== "string" || !nullishText(message.name) || !nullishText(message.tool_call_id)) return false;
  }
  if (isNullish(m)) return true;
  if (!isRecord(m)) return false;
  for (const key of ["session_id", "created_at", "updated_at", "model", "provider", "profile", "title"]) if (!nullishText(m[key])) return false;
  return nullishNumber(m.message_count) && (isNullish(m.tags) || (Array.isArray(m.tags) && m.tags.every((t) => typeof t === "string")));
}
export type LegacyMetadata = z.infer<typeof legacyMetadataSchema>;

const TYPE_NAMES: Record<string, string> = {
  string: "text",
  number: "a number",
  boolean: "true/false",
  array: "a list",
  object: "an object",
};

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return "text";
  if (typeof value === "number") return "a number";
  if (typeof value === "boolean") return "true/false";
  return typeof value === "object" ? "an object" : typeof value;
}

function pathText(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : `${out === "" ? "" : "."}${String(part)}`;
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const part of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/**
 * Checks a parsed JSON value against the legacy shape. Returns the session, or a reason a person
 * understands ("JSON but not a Victor session: no conversation.messages").
 */
export function validateLegacySession(value: unknown): { ok: true; session: LegacySession } | { ok: false; reason: string } {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, reason: `JSON but not a Victor session: the file holds ${describeValue(value)}, not an object` };
  }
  const record = value as Record<string, unknown>;
  const conversation = record.conversation;
  if (conversation === null || typeof conversation !== "object" || Array.isArray(conversation)) {
    return { ok: false, reason: "JSON but not a Victor session: no conversation.messages (there is no \"conversation\" object)" };
  }
  if (!("messages" in conversation)) return { ok: false, reason: "JSON but not a Victor session: no conversation.messages" };
  if (surelyLegacySession(value)) return { ok: true, session: value as LegacySession };
  const parsed = legacySessionSchema.safeParse(value);
  // The original value, not zod's copy: key order and every unknown key stay exactly as in the file.
  if (parsed.success) return { ok: true, session: value as LegacySession };
  const issue = parsed.error.issues[0]!;
  const where = pathText(issue.path);
  const actual = valueAt(value, issue.path);
  let what: string;
  if (issue.code === "invalid_type") {
    const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
    what = actual === undefined && issue.path.at(-1) === "role" ? `${where.replace(/\.role$/, "")} has no role` : `${where} should be ${expected}, not ${describeValue(actual)}`;
  } else {
    what = `${where}: ${issue.message}`;
  }
  return { ok: false, reason: `not a valid Victor session: ${what.replace(/^conversation\.messages\[(\d+)\]/, "message $1")}` };
}

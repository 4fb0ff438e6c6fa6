import type { MessageRow } from "../../domain/message-codec.js";

/**
 * Text PostgreSQL cannot store as is: `text` rejects NUL (SQLSTATE 22021), and a lone surrogate
 * has no UTF-8 form (the driver would silently send U+FFFD). Such a value is stored twice: a
 * cleaned copy in its column (so it is searchable and readable by SQL) and the exact value in JSON,
 * whose escapes (\u0000, \ud800) hold any string. Reads restore the exact value.
 */
export function isPgStorable(text: string): boolean {
  return !text.includes("\0") && text.isWellFormed();
}

/** The searchable stand-in: every NUL and lone surrogate becomes U+FFFD. */
export function storableCopy(text: string): string {
  return text.toWellFormed().replaceAll("\0", "\uFFFD");
}

const MESSAGE_TEXT_KEYS = ["role", "content", "name", "tool_call_id"] as const;

interface ExtraColumn {
  values?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * A message row PostgreSQL can store, decoding (decodeMessage) to the same message: a column
 * whose text is not storable gets the cleaned copy and `extra.values` keeps the exact text, as the
 * codec already does for lone surrogates. A text the codec moved to `extra.values` (column null)
 * gets its cleaned copy in the column, so it is searchable. Idempotent; returns the row itself
 * when nothing needs changing (the usual case, checked without parsing `extra`).
 */
export function toStorableMessageRow(row: MessageRow): MessageRow {
  const unstorable = MESSAGE_TEXT_KEYS.filter((key) => {
    const value = row[key];
    return typeof value === "string" && !isPgStorable(value);
  });
  const mayHaveValues = row.extra !== null && row.extra.includes('"values"');
  if (unstorable.length === 0 && !mayHaveValues) return row;

  const extra = (row.extra === null ? {} : JSON.parse(row.extra)) as ExtraColumn;
  const out: MessageRow = { ...row };
  let changed = false;
  for (const key of unstorable) {
    const values = (extra.values ??= Object.create(null) as Record<string, unknown>);
    if (!(key in values)) values[key] = row[key];
    out[key] = storableCopy(row[key]!);
    changed = true;
  }
  for (const key of MESSAGE_TEXT_KEYS) {
    const exact = extra.values?.[key];
    if (out[key] === null && typeof exact === "string") {
      out[key] = storableCopy(exact);
      changed = true;
    }
  }
  if (!changed) return row;
  out.extra = JSON.stringify(extra);
  return out;
}

/** The session columns that hold free text (ids are validated and always storable). */
export const SESSION_TEXT_KEYS = ["name", "search_title", "provider", "model", "profile"] as const;
export type SessionTextKey = (typeof SESSION_TEXT_KEYS)[number];
export type ExactText = Partial<Record<SessionTextKey, string>>;

/**
 * Session columns PostgreSQL can store, plus the exact values of those that had to be cleaned
 * (null when none: the usual case). The exact values go to `sessions.exact_text`.
 */
export function toStorableSessionText<T extends Record<SessionTextKey, string>>(columns: T): { columns: T; exact: ExactText | null } {
  let exact: ExactText | null = null;
  let out = columns;
  for (const key of SESSION_TEXT_KEYS) {
    const value = columns[key];
    if (isPgStorable(value)) continue;
    exact ??= {};
    exact[key] = value;
    if (out === columns) out = { ...columns };
    out[key] = storableCopy(value) as T[SessionTextKey];
  }
  return { columns: out, exact };
}

/** The row as written: cleaned columns replaced by their exact values. */
export function withExactText<T extends Partial<Record<SessionTextKey, string>>>(row: T, exact: ExactText | null): T {
  if (!exact) return row;
  const out = { ...row };
  for (const key of SESSION_TEXT_KEYS) {
    if (key in out && exact[key] !== undefined) out[key] = exact[key] as T[SessionTextKey];
  }
  return out;
}

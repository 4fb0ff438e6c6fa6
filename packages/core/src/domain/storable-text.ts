import { isStorableText, storableCopy } from "./message-codec.js";

/**
 * Session columns an engine cannot store as is (see isStorableText: NUL, lone surrogates): the
 * column holds the searchable copy and `sessions.exact_text` the exact value (JSON escapes hold
 * any string), which reads put back — on every engine. Messages need nothing here: the codec
 * stores such text that way in `extra`.
 */

/** The session columns that hold free text (ids are validated and always storable). */
export const SESSION_TEXT_KEYS = ["name", "search_title", "provider", "model", "profile"] as const;
export type SessionTextKey = (typeof SESSION_TEXT_KEYS)[number];
export type ExactText = Partial<Record<SessionTextKey, string>>;

/**
 * Session columns every engine can store, plus the exact values of those that had to be cleaned
 * (null when none: the usual case).
 */
export function toStorableSessionText<T extends Partial<Record<SessionTextKey, string>>>(columns: T): { columns: T; exact: ExactText | null } {
  let exact: ExactText | null = null;
  let out = columns;
  for (const key of SESSION_TEXT_KEYS) {
    const value = columns[key];
    if (value === undefined || isStorableText(value)) continue;
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

/** The exact text after a new title: the title's replaced (or dropped), the other columns' kept. */
export function retitledExactText(current: ExactText | null, title: ExactText | null): ExactText | null {
  const { name: _name, search_title: _searchTitle, ...others } = current ?? {};
  const merged = { ...others, ...title };
  return Object.keys(merged).length > 0 ? merged : null;
}

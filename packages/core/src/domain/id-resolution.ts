import { AmbiguousSessionIdError, InvalidSessionIdError, SessionNotFoundError } from "./errors.js";
import { isValidSessionId } from "./ids.js";

/** The ids starting with `prefix` are those in [prefix, prefixUpperBound(prefix)), bytewise. */
export function prefixUpperBound(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/**
 * `candidate` is `typed` plus an allocation suffix (`_2` … `_999`, see suffixedSessionId): a
 * sibling made because `typed` was taken, so `typed` was a complete id, not a prefix. (A date
 * typed as a prefix, `20251215`, continues with `_HHMMSS`: six digits, never such a suffix.)
 */
function isSuffixedSibling(candidate: string, typed: string): boolean {
  if (candidate.length <= typed.length + 1 || !candidate.startsWith(`${typed}_`)) return false;
  return /^[2-9]$|^[1-9]\d{1,2}$/.test(candidate.slice(typed.length + 1));
}

/**
 * The session an id or prefix names, from the ids that start with it (sorted, bytewise; an exact
 * match sorts first). An exact id always wins. A complete id that does not exist (just deleted,
 * say) is not found, never a prefix of a longer id: a `typed_2` sibling shows that `typed` was a
 * complete id, so `delete ID` run twice does not delete `ID_2`. Otherwise one candidate is the
 * answer, several are ambiguous.
 */
export function resolveFromCandidates(typed: string, candidates: readonly string[]): string {
  if (!isValidSessionId(typed)) throw new InvalidSessionIdError(typed);
  if (candidates[0] === typed) return typed;
  if (candidates.length === 0 || candidates.some((id) => isSuffixedSibling(id, typed))) throw new SessionNotFoundError(typed);
  if (candidates.length > 1) throw new AmbiguousSessionIdError(typed, candidates);
  return candidates[0]!;
}

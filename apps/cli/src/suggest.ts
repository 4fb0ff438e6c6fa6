import { distance } from "fastest-levenshtein";

/**
 * The closest of `candidates` to what the user typed (`sesions` → `sessions`, `/sesion` → `/sessions`),
 * or undefined when nothing is close enough to be a likely typo. A candidate the typed word starts
 * (`/sess`) counts as close too.
 */
export function closest(typed: string, candidates: readonly string[]): string | undefined {
  const word = typed.toLowerCase();
  if (word === "") return undefined;
  const prefixed = candidates.filter((c) => c.startsWith(word));
  if (prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  // One edit in short words, two in longer ones: further than that is a different word, not a typo.
  return bestDistance <= (word.length <= 3 ? 1 : 2) ? best : undefined;
}

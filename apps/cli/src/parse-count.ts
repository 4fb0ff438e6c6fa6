import { UsageError } from "@victor/terminal";

/**
 * A positive whole number typed by the user (`--limit 5`, `/sessions 5`, `/compact --keep 4`).
 * yargs turns `--limit abc` into NaN; that, 0, negatives and fractions are usage errors naming `what`.
 */
export function parseCount(value: unknown, what: string): number {
  const n = typeof value === "number" ? value : typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 1) {
    // NaN is yargs' reading of a word: what the user typed is gone, and "NaN" is not what they typed.
    const shown = typeof value !== "number" ? JSON.stringify(String(value)) : Number.isNaN(value) ? "a word" : String(value);
    throw new UsageError(`${what} must be a whole number of at least 1 (got ${shown}).`);
  }
  return n;
}

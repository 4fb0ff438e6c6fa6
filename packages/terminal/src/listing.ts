import { sanitizeLine } from "./sanitize.js";
import { wrapIndented } from "./width.js";

/**
 * The first `max` items of a report's list, one line each through the sanitiser (paths, reasons and
 * notes come from other programs' files; a file name can hold any byte but `/`), never cut: a path is
 * what the reader needs to act: with a `width` (a terminal's) a longer line wraps, its continuation
 * indented. Past `max`, one line says how many more the --json report holds.
 */
export function listedLines<T>(items: readonly T[], max: number, line: (item: T) => string, width?: number): string[] {
  const lines = items.slice(0, max).flatMap((item) => wrapIndented(sanitizeLine(line(item)), width));
  if (items.length > max) lines.push(`  … and ${items.length - max} more (see --json)`);
  return lines;
}

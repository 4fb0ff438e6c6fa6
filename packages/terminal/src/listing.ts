import { sanitizeLine } from "./sanitize.js";

/**
 * The first `max` items of a report's list, one line each through the sanitiser (paths, reasons and
 * notes come from other programs' files; a file name can hold any byte but `/`), never cut: a path is
 * what the reader needs to act. Past `max`, one line says how many more the --json report holds.
 */
export function listedLines<T>(items: readonly T[], max: number, line: (item: T) => string): string[] {
  const lines = items.slice(0, max).map((item) => sanitizeLine(line(item)));
  if (items.length > max) lines.push(`  … and ${items.length - max} more (see --json)`);
  return lines;
}

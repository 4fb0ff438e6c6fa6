import Table from "cli-table3";
import type { Colors } from "./colors.js";
import { displayWidth, truncateToWidth } from "./width.js";

export interface FitOptions {
  /** Total width available (the terminal's); undefined = no limit. */
  width?: number;
  /**
   * Narrowing steps, tried in order until the table fits: each narrows `column` down to at most
   * `min` cells. A column may appear again with a smaller minimum for very narrow terminals.
   */
  shrink?: { column: number; min: number }[];
}

/** Each column's width: its widest cell or header. */
function naturalWidths(head: string[], rows: string[][]): number[] {
  return head.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ""))));
}

/**
 * A bordered table like the guide's; header coloured only when colours are on. With `fit.width`,
 * the `fit.shrink` columns are narrowed (their cells cut with "…") until the table fits.
 */
export function renderTable(c: Colors, head: string[], rows: (string | number)[][], fit: FitOptions = {}): string {
  let cells = rows.map((row) => row.map(String));
  if (fit.width !== undefined) {
    const widths = naturalWidths(head, cells);
    // Each column adds a border and one space of padding either side.
    let overflow = widths.reduce((a, w) => a + w + 3, 1) - fit.width;
    for (const { column, min } of fit.shrink ?? []) {
      if (overflow <= 0) break;
      // A column is never narrower than its header.
      const floor = Math.max(min, displayWidth(head[column] ?? ""));
      const target = Math.min(widths[column]!, Math.max(floor, widths[column]! - overflow));
      overflow -= widths[column]! - target;
      widths[column] = target;
      cells = cells.map((row) => row.map((cell, i) => (i === column ? truncateToWidth(cell, target) : cell)));
    }
  }
  const table = new Table({
    head: head.map((h) => c.bold(c.cyan(h))),
    style: { head: [], border: [] },
    wordWrap: false,
  });
  for (const row of cells) table.push(row);
  return table.toString();
}

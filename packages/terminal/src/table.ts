import type { Colors } from "./colors.js";
import { sanitizeLine } from "./sanitize.js";
import { displayWidth, padToWidth, truncateToWidth } from "./width.js";

export interface Column {
  header: string;
  align?: "left" | "right";
  /** The narrowest this column may be cut to (with "…"); omitted = never narrowed. */
  min?: number;
  /** Takes the room left once the other columns have theirs (the title). */
  grow?: boolean;
  /** Left out on narrow terminals before the growing column gets narrower than its `min`: 1 goes first. */
  dropOrder?: number;
  /** Colour for this column's cells, applied after measuring and cutting. */
  paint?: (text: string, row: number) => string;
}

/** Border and padding cells: `│ a │ b │` is 3 per column plus 1. */
const chrome = (n: number): number => 3 * n + 1;

/**
 * Column widths that fit `width`, or null when the table cannot fit even with every column at its
 * minimum (the caller then uses a stacked layout). `visible` says which columns are shown.
 */
export function layoutTable(columns: readonly Column[], rows: readonly string[][], width: number | undefined): { widths: number[]; visible: number[] } | null {
  const natural = columns.map((col, i) => Math.max(displayWidth(col.header), ...rows.map((r) => displayWidth(r[i] ?? ""))));
  let visible = columns.map((_, i) => i);
  if (width === undefined) return { widths: natural, visible };
  const dropping = columns
    .map((col, i) => ({ i, order: col.dropOrder }))
    .filter((d): d is { i: number; order: number } => d.order !== undefined)
    .sort((a, b) => a.order - b.order);
  for (;;) {
    const widths = fit(columns, natural, visible, width);
    const grower = visible.find((i) => columns[i]!.grow);
    const starved = widths !== null && grower !== undefined && widths[grower]! < Math.min(natural[grower]!, columns[grower]!.min ?? 0);
    if (widths !== null && !starved) return { widths, visible };
    const next = dropping.shift();
    // Nothing left to drop: the title would be unreadably narrow, so a stacked layout serves better.
    if (!next) return null;
    visible = visible.filter((i) => i !== next.i);
  }
}

/** Minimums first (a column is never narrower than its header), then the room to `grow` columns, then to the rest. */
function fit(columns: readonly Column[], natural: readonly number[], visible: readonly number[], width: number): number[] | null {
  const widths = natural.slice();
  const floor = (i: number): number => {
    const col = columns[i]!;
    if (col.min === undefined) return natural[i]!;
    return Math.min(natural[i]!, Math.max(col.grow ? 1 : col.min, displayWidth(col.header)));
  };
  for (const i of visible) widths[i] = floor(i);
  let room = width - chrome(visible.length) - visible.reduce((sum, i) => sum + widths[i]!, 0);
  if (room < 0) return null;
  const order = [...visible.filter((i) => columns[i]!.grow), ...visible.filter((i) => !columns[i]!.grow)];
  for (const i of order) {
    const extra = Math.min(room, natural[i]! - widths[i]!);
    widths[i]! += extra;
    room -= extra;
  }
  return widths;
}

/**
 * A bordered table (header coloured when colours are on) that never exceeds `width` cells; every
 * cell is stored or user text, so it goes through the sanitiser (one line, newlines as ⏎) first.
 * Returns null when the table cannot fit `width` at all: the caller shows a stacked list instead.
 */
export function renderTable(c: Colors, columns: readonly Column[], rows: readonly (string | number)[][], width?: number): string | null {
  const cells = rows.map((row) => row.map((cell) => sanitizeLine(String(cell))));
  const layout = layoutTable(columns, cells, width);
  if (!layout) return null;
  const { widths, visible } = layout;
  const line = (left: string, mid: string, right: string): string => left + visible.map((i) => "─".repeat(widths[i]! + 2)).join(mid) + right;
  const out = [line("┌", "┬", "┐")];
  out.push(`│${visible.map((i) => ` ${padToWidth(c.bold(c.cyan(truncateToWidth(columns[i]!.header, widths[i]!))), widths[i]!)} `).join("│")}│`);
  out.push(line("├", "┼", "┤"));
  cells.forEach((row, r) => {
    const shown = visible.map((i) => {
      const col = columns[i]!;
      const text = truncateToWidth(row[i] ?? "", widths[i]!);
      const padded = padToWidth(text, widths[i]!, col.align);
      return ` ${col.paint ? padded.replace(text, col.paint(text, r)) : padded} `;
    });
    out.push(`│${shown.join("│")}│`);
  });
  out.push(line("└", "┴", "┘"));
  return out.join("\n");
}

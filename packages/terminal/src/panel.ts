import type { Colors } from "./colors.js";
import { sanitizeLine } from "./sanitize.js";
import { displayWidth, padToWidth, truncateToWidth, wrapToWidth } from "./width.js";

/** Panels never get narrower than this; a terminal narrower still wraps them as it can. */
const MIN_PANEL_WIDTH = 24;

/**
 * A titled box of `label: value` lines, e.g. the "Session Saved" panel. Values are stored or user text:
 * they go through the sanitiser. With `width` the box never exceeds it: long values (a database path)
 * wrap under their column instead of being cut, so nothing a user may need to copy is lost.
 *
 *   ╭─ Session Saved ───────────╮
 *   │ Action:   created         │
 *   ╰───────────────────────────╯
 */
export function renderPanel(c: Colors, title: string, lines: readonly (readonly [label: string, value: string])[], options: { footer?: string; width?: number } = {}): string {
  const labelWidth = Math.max(0, ...lines.map(([label]) => displayWidth(label) + 1));
  const inner = options.width === undefined ? undefined : Math.max(MIN_PANEL_WIDTH, options.width) - 4;
  const body: string[] = [];
  for (const [label, value] of lines) {
    const valueWidth = inner === undefined ? undefined : Math.max(8, inner - labelWidth - 1);
    const wrapped = hardWrap(sanitizeLine(value), valueWidth);
    wrapped.forEach((part, i) => body.push(`${padToWidth(i === 0 ? `${label}:` : "", labelWidth)} ${part}`));
  }
  if (options.footer) body.push("", ...wrapToWidth(sanitizeLine(options.footer), inner));
  const safeTitle = truncateToWidth(sanitizeLine(title), (inner ?? Infinity) - 2);
  const contentWidth = Math.max(displayWidth(safeTitle) + 3, ...body.map(displayWidth));
  const width = Math.min(contentWidth, inner ?? contentWidth) + 2;
  const top = `╭─ ${c.bold(safeTitle)} ${"─".repeat(Math.max(0, width - displayWidth(safeTitle) - 3))}╮`;
  const middle = body.map((l) => `│ ${padToWidth(l, width - 2)} │`);
  return [top, ...middle, `╰${"─".repeat(width)}╯`].join("\n");
}

/** Wraps a value at spaces where it can and anywhere it must (paths have no spaces). */
function hardWrap(text: string, width: number | undefined): string[] {
  if (width === undefined || displayWidth(text) <= width) return [text];
  return wrapToWidth(text, width);
}

import type { Colors } from "./colors.js";
import { displayWidth } from "./width.js";

/**
 * A titled box of `label: value` lines, e.g. the "Session Saved" panel:
 *   ╭─ Session Saved ───────────╮
 *   │ Action:   created         │
 *   ╰───────────────────────────╯
 */
export function renderPanel(c: Colors, title: string, lines: [label: string, value: string][], footer?: string): string {
  const labelWidth = Math.max(0, ...lines.map(([label]) => label.length + 1));
  const body = lines.map(([label, value]) => `${`${label}:`.padEnd(labelWidth)} ${value}`);
  if (footer) body.push("", footer);
  const width = Math.max(displayWidth(title) + 3, ...body.map(displayWidth)) + 2;
  const top = `╭─ ${c.bold(title)} ${"─".repeat(Math.max(0, width - displayWidth(title) - 3))}╮`;
  const middle = body.map((l) => `│ ${l}${" ".repeat(width - displayWidth(l) - 1)}│`);
  const bottom = `╰${"─".repeat(width)}╯`;
  return [top, ...middle, bottom].join("\n");
}

import Table from "cli-table3";
import type { Colors } from "./colors.js";

/** A bordered table like the guide's; header coloured only when colours are on. */
export function renderTable(c: Colors, head: string[], rows: (string | number)[][]): string {
  const table = new Table({
    head: head.map((h) => c.bold(c.cyan(h))),
    style: { head: [], border: [] },
    wordWrap: false,
  });
  for (const row of rows) table.push(row.map(String));
  return table.toString();
}

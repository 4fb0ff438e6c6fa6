import type { SessionTree, SessionTreeNode } from "@victor/core";
import { displayWidth, sanitizeLine, truncateToWidth, wrapToWidth, type Colors } from "@victor/terminal";
import { formatTimestamp, plural } from "./format.js";
import { leftBecause } from "./history-views.js";

/** Titles are cut to fit, but never below this many columns (the details go on a line of their own first). */
const MIN_TITLE = 12;

/** One session's line: id, title, and what it is (fork point, messages, history). */
function sessionLine(c: Colors, prefix: string, below: string, node: SessionTreeNode, focus: string | undefined, width: number | undefined): string[] {
  const s = node.summary;
  const id = s.id;
  const title = sanitizeLine(s.title);
  const facts = [
    ...(s.parentId && s.forkPoint !== null ? [`fork at ${s.forkPoint}`] : []),
    plural(s.messageCount, "message"),
    ...(node.outOfContext > 0 ? [`${node.outOfContext} outside the context`] : []),
    `updated ${formatTimestamp(s.updatedAt)}`,
  ].join(" · ");
  const mark = id === focus ? " ◀" : "";
  const fixed = displayWidth(prefix) + displayWidth(id) + 2 + displayWidth(mark);
  const paint = (t: string, f: string | null): string => `${c.dim(prefix)}${c.bold(id)}  ${t}${f ? c.dim(`  ${f}`) : ""}${mark}`;
  if (width === undefined) return [paint(title, facts)];
  const room = width - fixed - 2 - displayWidth(facts);
  if (room >= Math.min(MIN_TITLE, displayWidth(title))) return [paint(truncateToWidth(title, room), facts)];
  const details = c.dim(truncateToWidth(`${below}${facts}`, width));
  // Too narrow for one line: the details go on the next, under the title.
  if (width - fixed >= Math.min(MIN_TITLE, displayWidth(title))) return [paint(truncateToWidth(title, width - fixed), null), details];
  // Narrower still (a long id, deep in a tree): the id alone, never cut (it is what a reader types),
  // split over lines if it must be; the title and the details under it.
  const first = wrapToWidth(id, Math.max(1, width - displayWidth(prefix) - displayWidth(mark)))[0]!;
  const underRoom = Math.max(1, width - displayWidth(below));
  const rest = first.length < id.length ? wrapToWidth(id.slice(first.length), underRoom).map((piece) => c.dim(below) + c.bold(piece)) : [];
  const titleLine = `${c.dim(below)}${truncateToWidth(title, underRoom)}`;
  return [`${c.dim(prefix)}${c.bold(first)}${mark}`, ...rest, titleLine, details];
}

/** The compactions and other context changes of a session, one dim line each, under it. */
function changeLines(c: Colors, prefix: string, node: SessionTreeNode, width: number | undefined): string[] {
  return node.epochs
    .filter((e) => e.kind !== "undo")
    .map((e) => {
      const undone = e.undone_by === undefined ? "" : " (undone)";
      const line = `${prefix}◦ ${leftBecause(e)}: ${plural(e.removed, "message")} left the context${undone}`;
      return c.dim(width === undefined ? line : truncateToWidth(line, width));
    });
}

/**
 * Sessions with their forks (`victor sessions tree`), drawn with box lines: each session's id,
 * title (sanitised, cut to fit `width`), fork point, message counts, and its compactions. A fork
 * whose parent was deleted starts a tree of its own, under a line naming the missing parent.
 */
export function renderSessionTree(c: Colors, tree: SessionTree, options: { focus?: string; width?: number }): string {
  const lines: string[] = [];
  const { width, focus } = options;
  const draw = (node: SessionTreeNode, prefix: string, childPrefix: string): void => {
    const below = node.forks.length > 0 ? `${childPrefix}│  ` : `${childPrefix}   `;
    lines.push(...sessionLine(c, prefix, below, node, focus, width));
    lines.push(...changeLines(c, below, node, width));
    node.forks.forEach((fork, i) => {
      const last = i === node.forks.length - 1;
      draw(fork, `${childPrefix}${last ? "└─ " : "├─ "}`, `${childPrefix}${last ? "   " : "│  "}`);
    });
  };
  for (const root of tree.roots) {
    if (lines.length > 0) lines.push("");
    const parent = root.summary.parentId;
    if (parent && tree.missingParents.includes(parent)) {
      const line = `(forked from ${parent}, deleted since)`;
      lines.push(c.dim(width === undefined ? line : truncateToWidth(line, width)));
    }
    draw(root, "", "");
  }
  return lines.join("\n");
}

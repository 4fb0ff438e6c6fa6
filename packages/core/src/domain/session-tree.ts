import type { ContextEpoch, SessionSummary, SessionTree, SessionTreeNode } from "./types.js";

/** What a tree shows of a session besides its summary: rows outside the context, and its context changes. */
export interface HistoryDetails {
  outOfContext: number;
  epochs: ContextEpoch[];
}

export interface TreeOptions {
  /** Draw the tree holding this session (from its topmost ancestor that exists). */
  focus?: string;
  /** Without a focus: how many trees, most recently updated root first (negative: all). */
  limit: number;
  /** What the nodes show besides their summary, read for the sessions drawn only. */
  details(ids: readonly string[]): Promise<Map<string, HistoryDetails>>;
}

/**
 * Sessions and their forks as trees (`victor sessions tree`), from every session's summary
 * (parent_id links). A fork whose parent was deleted is a root; the parent it names is reported as
 * missing. Parent links that loop (possible only in imported data) end where they would repeat.
 */
export async function buildSessionTree(summaries: readonly SessionSummary[], options: TreeOptions): Promise<SessionTree> {
  const byId = new Map(summaries.map((s) => [s.id, s]));
  const forksOf = new Map<string, SessionSummary[]>();
  for (const s of summaries) {
    if (s.parentId && s.parentId !== s.id && byId.has(s.parentId)) {
      const list = forksOf.get(s.parentId) ?? [];
      list.push(s);
      forksOf.set(s.parentId, list);
    }
  }
  for (const list of forksOf.values()) list.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));

  let roots: SessionSummary[];
  if (options.focus !== undefined) {
    let top = byId.get(options.focus)!;
    const seen = new Set([top.id]);
    for (let parent = top.parentId ? byId.get(top.parentId) : undefined; parent && !seen.has(parent.id); parent = parent.parentId ? byId.get(parent.parentId) : undefined) {
      seen.add(parent.id);
      top = parent;
    }
    roots = [top];
  } else {
    const all = summaries.filter((s) => !s.parentId || s.parentId === s.id || !byId.has(s.parentId));
    roots = options.limit < 0 ? all : all.slice(0, options.limit);
  }

  const drawn = new Set<string>();
  const grow = (summary: SessionSummary): SessionTreeNode => {
    drawn.add(summary.id);
    const forks = (forksOf.get(summary.id) ?? []).filter((f) => !drawn.has(f.id)).map(grow);
    return { summary, outOfContext: 0, epochs: [], forks };
  };
  const trees = roots.map(grow);
  const details = await options.details([...drawn]);
  const fill = (node: SessionTreeNode): void => {
    const d = details.get(node.summary.id);
    if (d) Object.assign(node, d);
    node.forks.forEach(fill);
  };
  trees.forEach(fill);
  const missingParents = [...new Set(roots.flatMap((r) => (r.parentId && r.parentId !== r.id && !byId.has(r.parentId) ? [r.parentId] : [])))];
  return { roots: trees, missingParents };
}

import { toIsoUtc } from "./time.js";
import type { ImportItem, ImportItemResult } from "./types.js";

/**
 * What a batch of imports does beyond its items one by one, the same for a real import and its
 * simulation (--dry-run):
 * - the same id twice in a batch of plain items (an export file): the newest copy is imported
 *   (higher revision, then later updated_at, then the later item), the others are "superseded";
 * - every id the batch asks for is reserved, so a copy renamed or forked on the way never takes
 *   the id of another item of the same batch;
 * - parent links inside the batch follow the ids the parents end up under (parents go first).
 */

/** The ids a batch's items ask for: a renamed or forked copy must not take one of them. */
export function reservedIds(items: readonly ImportItem[]): Set<string> {
  return new Set(items.map((item) => item.input.sessionId));
}

const updatedAtOf = (item: ImportItem): string => (typeof item.input.updatedAt === "string" ? (toIsoUtc(item.input.updatedAt) ?? "") : "");

/** Whether `a` is a newer copy than `b` (b comes first in the batch). */
function isNewer(a: ImportItem, b: ImportItem): boolean {
  const byRevision = (a.revision ?? -1) - (b.revision ?? -1);
  if (byRevision !== 0) return byRevision > 0;
  return updatedAtOf(a) >= updatedAtOf(b);
}

/** Index of each plain item that a newer copy of its id in the batch supersedes, with that copy's index. */
function supersededCopies(items: readonly ImportItem[]): Map<number, number> {
  const newest = new Map<string, number>();
  const superseded = new Map<number, number>();
  items.forEach((item, i) => {
    if (item.source) return;
    const id = item.input.sessionId;
    const current = newest.get(id);
    if (current === undefined) return void newest.set(id, i);
    if (isNewer(item, items[current]!)) {
      superseded.set(current, i);
      newest.set(id, i);
    } else superseded.set(i, current);
  });
  for (const [loser, winner] of superseded) superseded.set(loser, newest.get(items[winner]!.input.sessionId)!);
  return superseded;
}

/** The order to import in: the batch's own order, except that a parent in the batch goes before its forks. */
function parentsFirst(items: readonly ImportItem[], skip: ReadonlyMap<number, number>): number[] {
  const byId = new Map<string, number>();
  items.forEach((item, i) => {
    if (!skip.has(i)) byId.set(item.input.sessionId, i);
  });
  const order: number[] = [];
  const state = new Map<number, "visiting" | "done">();
  const visit = (i: number): void => {
    if (state.has(i)) return; // done, or a loop of parents: the batch's order decides
    state.set(i, "visiting");
    const parent = items[i]!.input.parentId;
    const parentIndex = parent ? byId.get(parent) : undefined;
    if (parentIndex !== undefined && parentIndex !== i) visit(parentIndex);
    state.set(i, "done");
    order.push(i);
  };
  items.forEach((_, i) => {
    if (!skip.has(i)) visit(i);
  });
  return order;
}

/**
 * Runs `importOne` for each item that is not superseded, parents first, with its parent id mapped
 * to where that parent went in this batch; returns the results in the batch's order.
 */
export async function runImportBatch<R extends ImportItemResult | Error>(
  items: readonly ImportItem[],
  importOne: (item: ImportItem) => Promise<R>,
): Promise<(R | ImportItemResult)[]> {
  const superseded = supersededCopies(items);
  const results: (R | ImportItemResult)[] = new Array(items.length);
  const finalIds = new Map<string, string>();
  for (const i of parentsFirst(items, superseded)) {
    const item = items[i]!;
    const parent = item.input.parentId;
    const mapped = parent ? finalIds.get(parent) : undefined;
    const result = await importOne(mapped === undefined ? item : { ...item, input: { ...item.input, parentId: mapped } });
    results[i] = result;
    if (!(result instanceof Error) && result.sessionId !== null) finalIds.set(item.input.sessionId, result.sessionId);
  }
  for (const [i, winner] of superseded) {
    const winning = results[winner];
    const sessionId = winning && !(winning instanceof Error) ? winning.sessionId : null;
    results[i] = { requestedId: items[i]!.input.sessionId, sessionId: null, status: "superseded", ...(sessionId ? { existing: { sessionId, reason: "newer-copy" as const } } : {}) };
  }
  return results;
}

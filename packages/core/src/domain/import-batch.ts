import { toIsoUtc } from "./time.js";
import type { ImportItem, ImportItemResult } from "./types.js";

/**
 * What a batch of imports does beyond its items one by one, the same for a real import and its
 * simulation (--dry-run):
 * - the same id twice in a batch of plain items (an export file): the newest copy is imported
 *   (higher revision, then later updated_at, then the later item), the others are "superseded";
 * - every id the batch asks for is reserved, so a copy renamed or forked on the way never takes
 *   the id of another item of the same batch (or of the whole import, see reservedIds);
 * - parent links inside the batch follow the ids the parents end up under (parents go first).
 */

/**
 * The ids a renamed or forked copy must not take: those the batch's items ask for, and `more`
 * (the ids of a whole import sent in several batches, which normally hold the batch's already).
 */
export function reservedIds(items: readonly ImportItem[], more?: ReadonlySet<string>): ReadonlySet<string> {
  const own = items.map((item) => item.input.sessionId);
  if (more === undefined) return new Set(own);
  return own.every((id) => more.has(id)) ? more : new Set([...more, ...own]);
}

/** What ranks copies of one id: the revision they had where they come from, then updated_at. */
export interface CopyRank {
  revision: number;
  updatedAt: string;
}

export function copyRankOf(item: ImportItem): CopyRank {
  return { revision: item.revision ?? -1, updatedAt: typeof item.input.updatedAt === "string" ? (toIsoUtc(item.input.updatedAt) ?? "") : "" };
}

/** Whether a copy ranked `a` is newer than one ranked `b` that comes before it (a tie goes to the later copy). */
function isNewer(a: CopyRank, b: CopyRank): boolean {
  const byRevision = a.revision - b.revision;
  if (byRevision !== 0) return byRevision > 0;
  return a.updatedAt >= b.updatedAt;
}

/**
 * The newest copy of each id among copies offered in order. It keeps one rank per id, not the
 * copies: an import that streams a file in several batches decides over the whole file with it.
 */
export class NewestCopies {
  private readonly newest = new Map<string, { position: number; rank: CopyRank }>();

  /** Offers the copy of `id` at `position` (positions in increasing order). */
  offer(id: string, position: number, rank: CopyRank): void {
    const current = this.newest.get(id);
    if (current === undefined || isNewer(rank, current.rank)) this.newest.set(id, { position, rank });
  }

  /** The position of the newest copy of `id` offered so far. */
  newestOf(id: string): number | undefined {
    return this.newest.get(id)?.position;
  }
}

/** Index of each plain item that a newer copy of its id in the batch supersedes, with that copy's index. */
function supersededCopies(items: readonly ImportItem[]): Map<number, number> {
  const copies = new NewestCopies();
  items.forEach((item, i) => {
    if (!item.source) copies.offer(item.input.sessionId, i, copyRankOf(item));
  });
  const superseded = new Map<number, number>();
  items.forEach((item, i) => {
    const newest = item.source ? i : copies.newestOf(item.input.sessionId)!;
    if (newest !== i) superseded.set(i, newest);
  });
  return superseded;
}

/**
 * Indexes of `items` in the order to write them: their own order, except that an item's parent
 * among them (by `idOf`/`parentOf`) goes first. Items in `skip` are left out.
 */
export function parentsFirst<T>(items: readonly T[], idOf: (item: T) => string, parentOf: (item: T) => string | null | undefined, skip: ReadonlyMap<number, unknown> = new Map()): number[] {
  const byId = new Map<string, number>();
  items.forEach((item, i) => {
    if (!skip.has(i)) byId.set(idOf(item), i);
  });
  const order: number[] = [];
  const state = new Map<number, "visiting" | "done">();
  const visit = (i: number): void => {
    if (state.has(i)) return; // done, or a loop of parents: the batch's order decides
    state.set(i, "visiting");
    const parent = parentOf(items[i]!);
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
  for (const i of parentsFirst(items, (item) => item.input.sessionId, (item) => item.input.parentId, superseded)) {
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

import { reservedIds, runImportBatch } from "./domain/import-batch.js";
import { planImport, sourceOfSession, type ImportState } from "./domain/import-decision.js";
import { suffixedSessionId } from "./domain/ids.js";
import { encodeMessage, rowOfColumns, sameRow } from "./domain/message-codec.js";
import type { Snapshot } from "./domain/snapshot-cache.js";
import { isoNow } from "./domain/time.js";
import type { ImportItem, ImportItemResult, ImportOptions, LedgerEntry, Message } from "./domain/types.js";
import type { EngineTransaction } from "./engine/engine.js";
import { saveInTransaction, type SaveContext } from "./save-session.js";
import { storedSession } from "./write-heads.js";

/**
 * The one import, the same on every engine: each item decided by planImport inside the write
 * transaction (two runs at once cannot both act on a stale view), written by the one save
 * algorithm, with its ledger entry in the same transaction; batch rules in import-batch.ts.
 */

export interface ImportOutcome {
  results: ImportItemResult[];
  snapshots: { sessionId: string; snapshot: Snapshot | null }[];
}

/** Whether the stored context of `id` begins with `messages` (compared as stored rows). */
async function storedStartsWith(tx: EngineTransaction, id: string, messages: readonly Message[]): Promise<boolean> {
  const stored = await tx.contextRows(id, 0);
  if (stored.length < messages.length) return false;
  return messages.every((message, i) => sameRow(rowOfColumns(stored[i]!), encodeMessage(message, i)));
}

/** The store as the import decision sees it, read inside one transaction; `reserved` ids are never free. */
export function transactionState(tx: EngineTransaction, reserved: ReadonlySet<string> = new Set()): ImportState {
  return {
    ledger: async (key) => tx.ledgerEntry(key),
    head: async (id) => {
      const head = await storedSession(tx, id);
      return head ? { revision: head.revision, source: sourceOfSession(head.data), parentId: head.parent_id } : null;
    },
    startsWith: (id, messages) => storedStartsWith(tx, id, messages),
    freeId: async (base) => {
      for (let attempt = 1; ; attempt++) {
        const candidate = suffixedSessionId(base, attempt);
        if (!reserved.has(candidate) && !(await storedSession(tx, candidate))) return candidate;
      }
    },
  };
}

/** Runs inside the caller's write transaction; see SessionStore.importSessions. */
export async function importInTransaction(ctx: SaveContext, items: readonly ImportItem[], options: ImportOptions = {}): Promise<ImportOutcome> {
  const snapshots: ImportOutcome["snapshots"] = [];
  const importedAt = isoNow();
  const reserved = reservedIds(items, options.reservedIds);
  const state = transactionState(ctx.tx, reserved);
  const ledgerEntry = (item: ImportItem, sessionId: string | null, outcome: LedgerEntry["outcome"], revision: number | null): LedgerEntry | null => {
    const source = item.source;
    if (!source) return null;
    return { sourcePath: source.key, size: source.size, sha256: source.sha256, reason: source.reason ?? null, sessionId, outcome, importedAt, revision };
  };
  const results = await runImportBatch(items, async (item): Promise<ImportItemResult> => {
    const plan = await planImport(state, item);
    if (plan.action === "none") {
      const entry = plan.ledger ? ledgerEntry(item, plan.ledger.sessionId, plan.ledger.outcome, null) : null;
      if (entry) await ctx.tx.upsertLedger(entry);
      return plan.result;
    }
    const saved = await saveInTransaction(
      ctx,
      // Import decisions take the place of the save's base check: force.
      { ...item.input, sessionId: plan.sessionId, replace: true, force: true, expectedRevision: undefined, parentId: plan.parentId ?? item.input.parentId ?? null },
      plan.freshFrom === null ? {} : { freshIdFrom: { base: plan.freshFrom, reserved } },
    );
    const sessionId = saved.result.sessionId;
    snapshots.push({ sessionId, snapshot: saved.snapshot });
    const entry = ledgerEntry(item, sessionId, plan.ledgerOutcome, saved.result.revision);
    if (entry) await ctx.tx.upsertLedger(entry);
    return { ...plan.result, sessionId, revision: saved.result.revision };
  });
  return { results: results as ImportItemResult[], snapshots };
}

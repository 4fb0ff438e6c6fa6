import { allocateId, lastMessageId, saveSessionInTransaction, type SaveContext } from "./save-session.js";
import type { Snapshot } from "./snapshot-cache.js";
import { upsertLedger } from "./ledger.js";
import { isoNow } from "./time.js";
import type { ImportItem, ImportItemResult, LedgerEntry } from "./types.js";

const LEDGER_OUTCOME: Record<ImportItemResult["status"], LedgerEntry["outcome"]> = {
  created: "imported",
  updated: "updated",
  renamed: "imported",
  "skipped-conflict": "conflict",
};

export interface ImportOutcome {
  results: ImportItemResult[];
  snapshots: { sessionId: string; snapshot: Snapshot | null }[];
}

/** Runs inside the caller's write transaction; see SessionStore.importSessions. */
export function importInTransaction(ctx: SaveContext, items: readonly ImportItem[]): ImportOutcome {
  const outcome: ImportOutcome = { results: [], snapshots: [] };
  const importedAt = isoNow();
  // One index statement for the whole batch instead of one per session (see migration 0002).
  const lastIdBefore = lastMessageId(ctx);
  for (const item of items) {
    const requestedId = item.input.sessionId;
    const exists = ctx.statements.sessionExists.get({ id: requestedId }) !== undefined;
    let result: ImportItemResult;
    if (exists && !item.ownsExisting && item.onConflict === "skip") {
      result = { requestedId, sessionId: null, status: "skipped-conflict" };
    } else {
      const renaming = exists && !item.ownsExisting && item.onConflict === "rename";
      const sessionId = renaming ? allocateId(ctx, requestedId) : requestedId;
      const saved = saveSessionInTransaction(ctx, { ...item.input, sessionId, replace: true, expectedRevision: undefined }, { indexNow: false });
      outcome.snapshots.push({ sessionId, snapshot: saved.snapshot });
      result = { requestedId, sessionId, status: renaming ? "renamed" : exists ? "updated" : "created" };
    }
    outcome.results.push(result);
    if (item.ledger) {
      upsertLedger(ctx.conn, {
        sourcePath: item.ledger.sourcePath,
        size: item.ledger.size,
        sha256: item.ledger.sha256,
        reason: item.ledger.reason,
        sessionId: result.sessionId,
        outcome: result.status === "skipped-conflict" ? "conflict" : (item.ledger.outcome ?? LEDGER_OUTCOME[result.status]),
        importedAt,
      });
    }
  }
  ctx.statements.indexMessagesAfter.run(lastIdBefore);
  return outcome;
}

import { planImport, sourceOfSession, type ImportState } from "./domain/import-decision.js";
import { ledgerFromRow, upsertLedger } from "./ledger.js";
import { encodeMessage, sameRow, type MessageRow } from "./domain/message-codec.js";
import { allocateId, lastMessageId, saveSessionInTransaction, type SaveContext } from "./save-session.js";
import type { Snapshot } from "./domain/snapshot-cache.js";
import { isoNow } from "./domain/time.js";
import type { ImportItem, ImportItemResult, Message } from "./domain/types.js";

export interface ImportOutcome {
  results: ImportItemResult[];
  snapshots: { sessionId: string; snapshot: Snapshot | null }[];
}

/** Whether the stored messages of `id` begin with `messages` (compared as stored rows). */
export function storedStartsWith(ctx: SaveContext, id: string, messages: readonly Message[]): boolean {
  const stored = ctx.statements.messagesFrom.all({ id, from: 0 }) as MessageRow[];
  if (stored.length < messages.length) return false;
  return messages.every((message, i) => sameRow(stored[i]!, encodeMessage(message, i)));
}

/** The store as the import decision sees it, read inside the current transaction. */
export function transactionState(ctx: SaveContext): ImportState {
  return {
    ledger: (key) => {
      const row = ctx.statements.ledgerGet.get({ path: key });
      return row ? ledgerFromRow(row) : null;
    },
    head: (id) => {
      const head = ctx.statements.sessionHead.get({ id });
      return head ? { revision: head.revision, source: sourceOfSession(head.data), parentId: head.parent_id } : null;
    },
    startsWith: (id, messages) => storedStartsWith(ctx, id, messages),
    freeId: (base) => allocateId(ctx, base),
  };
}

/** Runs inside the caller's write transaction; see SessionStore.importSessions. */
export function importInTransaction(ctx: SaveContext, items: readonly ImportItem[]): ImportOutcome {
  const outcome: ImportOutcome = { results: [], snapshots: [] };
  const importedAt = isoNow();
  const state = transactionState(ctx);
  // One index statement for the whole batch instead of one per session (see migration 0002).
  const lastIdBefore = lastMessageId(ctx);
  for (const item of items) {
    const plan = planImport(state, item);
    const source = item.source;
    if (plan.action === "none") {
      outcome.results.push(plan.result);
      if (source && plan.ledger) {
        upsertLedger(ctx.conn, {
          sourcePath: source.key,
          size: source.size,
          sha256: source.sha256,
          reason: source.reason ?? null,
          sessionId: plan.ledger.sessionId,
          outcome: plan.ledger.outcome,
          importedAt,
          revision: null,
        });
      }
      continue;
    }
    const saved = saveSessionInTransaction(
      ctx,
      { ...item.input, sessionId: plan.sessionId, replace: true, expectedRevision: undefined, parentId: plan.parentId ?? item.input.parentId ?? null },
      { indexNow: false },
    );
    outcome.snapshots.push({ sessionId: plan.sessionId, snapshot: saved.snapshot });
    outcome.results.push({ ...plan.result, revision: saved.result.revision });
    if (source) {
      upsertLedger(ctx.conn, {
        sourcePath: source.key,
        size: source.size,
        sha256: source.sha256,
        reason: source.reason ?? null,
        sessionId: plan.sessionId,
        outcome: plan.ledgerOutcome,
        importedAt,
        revision: saved.result.revision,
      });
    }
  }
  ctx.statements.indexMessagesAfter.run(lastIdBefore);
  return outcome;
}

import { InvalidSessionDataError } from "./errors.js";
import type { SessionDataColumn } from "./session-data.js";
import type { ImportItem, ImportItemResult, LedgerEntry, LedgerOutcome, Message } from "./types.js";

/** Ledger outcomes that mean "this source's content is in the store". */
export const STORED_OUTCOMES: ReadonlySet<LedgerOutcome> = new Set(["imported", "recovered", "updated", "unchanged", "forked", "contained"]);

/** What the decision needs to know about the store: read inside the write transaction (or simulated). */
export interface ImportState {
  ledger(key: string): Promise<LedgerEntry | null>;
  head(id: string): Promise<{ revision: number; source: string | null; parentId: string | null } | null>;
  /** Whether the stored session `id` begins with exactly these messages. */
  startsWith(id: string, messages: readonly Message[]): Promise<boolean>;
  /** The first free id of `base`, `base_2`, … (not taken by the store nor by the batch). */
  freeId(base: string): Promise<string>;
}

export type ImportPlan =
  | { action: "none"; result: ImportItemResult; ledger: { outcome: LedgerOutcome; sessionId: string | null } | null }
  | {
      action: "save";
      sessionId: string;
      /** The id is a free one picked for a copy (renamed, forked): the write takes the first free id from `base`. */
      freshFrom: string | null;
      parentId: string | null;
      result: ImportItemResult;
      ledgerOutcome: LedgerOutcome;
    };

/**
 * The source a stored session came from, as its data records it: the legacy file (an import, or a
 * `/load` then `/save`), the Python Victor database row, or the file of another tool (`victor import`).
 */
export function sourceOfSession(data: SessionDataColumn | null | undefined): string | null {
  const extra = data?.metadata_extra as { legacy?: { file?: unknown }; python?: { source?: unknown }; imported_from?: { file?: unknown } } | undefined;
  if (typeof extra?.legacy?.file === "string") return extra.legacy.file;
  if (typeof extra?.python?.source === "string") return extra.python.source;
  if (typeof extra?.imported_from?.file === "string") return extra.imported_from.file;
  return null;
}

/**
 * Decides what importing one item does. Taken inside the write transaction, so two runs at once
 * cannot both act on a stale view: the second sees the first's ledger row.
 *
 * - The ledger has this exact source → unchanged.
 * - The source's own session (per the ledger, still linked to it) is updated only while nobody has
 *   saved it since the import (same revision); otherwise the source's new version is stored beside it
 *   as a fork — unless the saved session already contains it. Saved work is never overwritten short
 *   of an explicit "overwrite".
 * - A session with the id from elsewhere: if it holds the source's whole conversation (opened with
 *   /load and continued, say) nothing is written; if it came from this very source (a /load), the
 *   source is stored beside it; else the conflict policy applies.
 * - A part of a long source (see ImportSource.partial, ImportItem.continuesRevision): the first part
 *   is decided like a whole source but never found unchanged or contained (the rest is unseen); a
 *   later part only continues the session the earlier one wrote, untouched since, or is "stale".
 */
export async function planImport(state: ImportState, item: ImportItem): Promise<ImportPlan> {
  const requestedId = item.input.sessionId;
  const source = item.source;
  const partial = source?.partial === true;
  const messages = item.input.conversation.messages;
  const previous = source ? await state.ledger(source.key) : null;
  if (!partial && source && previous && previous.sha256 === source.sha256 && previous.size === source.size && STORED_OUTCOMES.has(previous.outcome)) {
    return { action: "none", result: { requestedId, sessionId: previous.sessionId, status: "unchanged" }, ledger: null };
  }
  const importedOutcome: LedgerOutcome = partial ? "partial" : source?.recovered ? "recovered" : "imported";
  const ownedId = previous && previous.outcome !== "conflict" ? previous.sessionId : null;
  const target = ownedId ?? requestedId;
  const head = await state.head(target);
  const save = (
    sessionId: string,
    status: ImportItemResult["status"],
    ledgerOutcome: LedgerOutcome,
    extra: Partial<ImportItemResult> = {},
    parentId: string | null = null,
    freshFrom: string | null = null,
  ): ImportPlan => ({
    action: "save",
    sessionId,
    freshFrom,
    parentId,
    ledgerOutcome: partial ? "partial" : ledgerOutcome,
    result: { requestedId, sessionId, status, ...extra },
  });
  const owned = ownedId !== null && source !== undefined && head !== null && head.source === source.key;
  // An update of the source's own session keeps the parent link it has (a fork stays a fork).
  const update = (): ImportPlan => save(target, "updated", "updated", {}, head?.parentId ?? null);

  if ((item.input.keepMessages ?? 0) > 0) {
    if (item.continuesRevision === undefined || !source) {
      throw new InvalidSessionDataError("An import item that keeps stored messages must name its source and the revision it continues.");
    }
    // Only the very session, at the revision the kept messages were written in: anything else may hold other messages there.
    const intact = owned && target === requestedId && previous?.revision === item.continuesRevision && head?.revision === item.continuesRevision;
    return intact ? update() : { action: "none", result: { requestedId, sessionId: null, status: "stale" }, ledger: null };
  }
  if (!head) return save(target, "created", importedOutcome);
  if (item.onConflict === "overwrite") return owned ? update() : save(target, "overwritten", importedOutcome);
  if (owned && previous?.revision !== null && previous?.revision === head.revision) return update();
  const linked = source !== undefined && head.source === source.key;
  const reason = owned ? "saved-since-import" : linked ? "linked-to-source" : "other-source";
  if (source && !partial && (await state.startsWith(target, messages))) {
    return {
      action: "none",
      result: { requestedId, sessionId: target, status: "contained", existing: { sessionId: target, reason } },
      ledger: { outcome: "contained", sessionId: target },
    };
  }
  if (owned || linked) {
    const fork = await state.freeId(target);
    return save(fork, "forked", "forked", { existing: { sessionId: target, reason } }, target, target);
  }
  if (item.onConflict === "rename") return save(await state.freeId(target), "renamed", importedOutcome, { existing: { sessionId: target, reason } }, null, target);
  return {
    action: "none",
    result: { requestedId, sessionId: null, status: "skipped-conflict", existing: { sessionId: target, reason } },
    ledger: source ? { outcome: "conflict", sessionId: null } : null,
  };
}

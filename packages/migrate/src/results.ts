import type { ImportItemResult } from "@victor/core";
import type { FileResult } from "./report.js";

export function fileResult(path: string, outcome: FileResult["outcome"], extra: Partial<FileResult> = {}): FileResult {
  return { path, outcome, sessionId: null, requestedId: null, renamed: false, overwritten: false, existingSessionId: null, reason: null, notes: [], ...extra };
}

/** Where a source went, for the report: the store's decision (or its refusal) in words a user can act on. */
export function importResult(path: string, requestedId: string, outcome: ImportItemResult | Error, options: { recovered?: boolean; notes?: string[] } = {}): FileResult {
  const base = { requestedId, notes: options.notes ?? [] };
  const stored = options.recovered ? "recovered" : "imported";
  if (outcome instanceof Error) return fileResult(path, "failed", { ...base, reason: `not a valid Victor session: ${outcome.message}` });
  const existing = outcome.existing?.sessionId ?? null;
  switch (outcome.status) {
    case "created":
      return fileResult(path, stored, { ...base, sessionId: outcome.sessionId });
    case "renamed":
      return fileResult(path, stored, { ...base, sessionId: outcome.sessionId, renamed: true, existingSessionId: existing });
    case "overwritten":
      return fileResult(path, stored, { ...base, sessionId: outcome.sessionId, overwritten: true });
    case "updated":
      return fileResult(path, "updated", { ...base, sessionId: outcome.sessionId });
    case "unchanged":
      return fileResult(path, "unchanged", { ...base, sessionId: outcome.sessionId });
    case "contained":
      return fileResult(path, "unchanged", {
        ...base,
        sessionId: outcome.sessionId,
        notes: [
          ...base.notes,
          outcome.existing?.reason === "linked-to-source"
            ? `already in the database: session ${existing} was opened from it (/load) and saved, and holds its whole conversation`
            : `already in the database: session ${existing} holds its whole conversation`,
        ],
      });
    case "forked":
      return fileResult(path, "conflict", {
        ...base,
        sessionId: outcome.sessionId,
        existingSessionId: existing,
        reason:
          outcome.existing?.reason === "saved-since-import"
            ? `session ${existing} was saved again after it was imported from here, and this source changed too: its new version was imported beside it as ${outcome.sessionId} (nothing was overwritten)`
            : `session ${existing} was opened from here (/load) and saved, and this source has changed since: its current version was imported beside it as ${outcome.sessionId} (nothing was overwritten)`,
      });
    case "stale":
      // Only a part that continues a stored session can be stale, and victor-migrate writes every source whole.
      return fileResult(path, "failed", { ...base, reason: "its session changed while it was being imported; run victor-migrate again" });
    case "superseded":
      // Only plain items of one batch (an export file) can supersede each other; every migrate source has its own ledger key.
      return fileResult(path, "unchanged", { ...base, sessionId: existing, notes: [...base.notes, `a newer copy of session ${requestedId} in the same run was imported instead`] });
    case "skipped-conflict":
      return fileResult(path, "conflict", {
        ...base,
        existingSessionId: existing,
        reason: `a session ${existing} from another source or a /save is already in the database; not imported (use --on-conflict rename to import it under a new id)`,
      });
  }
}

import type { ConflictPolicy, ImportItem, LedgerEntry } from "@victor/core";
import { convertLegacyFile } from "./load-legacy-file.js";
import { readLegacyBytes } from "./read-legacy-file.js";
import type { FileResult } from "./report.js";
import type { SourceEntry } from "./sources.js";

/** One file's decision before anything is written: either final, or an import to run. */
export type PreparedFile =
  | { kind: "final"; result: FileResult; ledger?: LedgerEntry; bytes: number }
  | { kind: "import"; item: ImportItem; recovered: boolean; owns: boolean; notes: string[]; path: string; bytes: number };

/** Ledger outcomes that mean "this file's content is in the store". */
const STORED = new Set<LedgerEntry["outcome"]>(["imported", "recovered", "updated", "unchanged"]);

export function fileResult(path: string, outcome: FileResult["outcome"], extra: Partial<FileResult> = {}): FileResult {
  return { path, outcome, sessionId: null, requestedId: null, renamed: false, overwritten: false, reason: null, notes: [], ...extra };
}

/**
 * Reads one source file and decides what to do with it, given what the ledger remembers of it:
 * unchanged (same size and hash), failed (with the reason), or an import (owning the session
 * the ledger says this file created, so a changed file updates it instead of conflicting).
 */
export async function prepareFile(
  entry: SourceEntry,
  ledgerOf: (path: string) => Promise<LedgerEntry | null>,
  onConflict: ConflictPolicy,
): Promise<PreparedFile> {
  const { path } = entry;
  if (!entry.isJson) return { kind: "final", result: fileResult(path, "ignored", { reason: "not a .json file" }), bytes: 0 };
  let file;
  try {
    file = await readLegacyBytes(path);
  } catch (error) {
    const reason = `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
    return { kind: "final", result: fileResult(path, "failed", { reason }), bytes: 0 };
  }
  const previous = await ledgerOf(path);
  const same = previous !== null && previous.size === file.size && previous.sha256 === file.sha256;
  if (same && STORED.has(previous.outcome)) {
    return { kind: "final", result: fileResult(path, "unchanged", { sessionId: previous.sessionId, requestedId: previous.sessionId }), bytes: 0 };
  }
  if (same && previous.outcome === "failed") {
    return { kind: "final", result: fileResult(path, "failed", { reason: previous.reason ?? "failed in an earlier run" }), bytes: 0 };
  }
  // The session this file created in an earlier run (kept through a failed run in between), so a
  // changed file updates it instead of conflicting with it.
  const owned = previous !== null && previous.outcome !== "conflict" ? previous.sessionId : null;
  const failed = (reason: string): PreparedFile => ({
    kind: "final",
    result: fileResult(path, "failed", { reason, sessionId: null, requestedId: owned }),
    ledger: { sourcePath: path, size: file.size, sha256: file.sha256, sessionId: owned, outcome: "failed", reason, importedAt: new Date().toISOString() },
    bytes: 0,
  });
  const converted = await convertLegacyFile(path, entry.stem, file.bytes);
  if (!converted.ok) return failed(converted.reason);
  // A file renamed into another id on its first import keeps updating that id.
  if (owned !== null) converted.input.sessionId = owned;
  const { recovered, notes } = converted;
  return {
    kind: "import",
    path,
    recovered,
    owns: owned !== null,
    notes,
    bytes: file.size,
    item: {
      input: converted.input,
      onConflict,
      ownsExisting: owned !== null,
      ledger: { sourcePath: path, size: file.size, sha256: file.sha256, reason: notes.length > 0 ? notes.join("; ") : null, ...(recovered ? { outcome: "recovered" } : {}) },
    },
  };
}

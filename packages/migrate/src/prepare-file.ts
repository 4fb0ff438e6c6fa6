import type { ConflictPolicy, ImportItem, LedgerEntry } from "@victor/core";
import { convertLegacyFile } from "./load-legacy-file.js";
import { readLegacyBytes } from "./read-legacy-file.js";
import type { FileResult } from "./report.js";
import { fileResult } from "./results.js";
import { READ_FLAGS, type SourceEntry } from "./sources.js";

/** One source's decision before anything is written: either final, or an import to run. */
export type PreparedFile =
  | { kind: "final"; result: FileResult; ledger?: LedgerEntry; bytes: number }
  | { kind: "import"; item: ImportItem; recovered: boolean; notes: string[]; path: string; bytes: number };

/** Ledger outcomes that mean "this file's content is in the store". */
const STORED = new Set<LedgerEntry["outcome"]>(["imported", "recovered", "updated", "unchanged", "forked", "contained"]);

/**
 * Reads one source file and prepares its import. The ledger is consulted here only to skip
 * parsing files it already has (same size and hash); what the import does is decided by the core
 * inside the write transaction, so concurrent runs cannot act on this early look.
 */
export async function prepareFile(entry: SourceEntry, ledgerOf: (path: string) => Promise<LedgerEntry | null>, onConflict: ConflictPolicy, timeZone: string): Promise<PreparedFile> {
  const { path } = entry;
  if (entry.kind === "skipped") return { kind: "final", result: fileResult(path, "skipped", { reason: entry.reason }), bytes: 0 };
  if (!entry.isJson) return { kind: "final", result: fileResult(path, "ignored", { reason: "not a .json file" }), bytes: 0 };
  let file;
  try {
    file = await readLegacyBytes(entry.readPath, READ_FLAGS);
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
  const failed = (reason: string): PreparedFile => ({
    kind: "final",
    result: fileResult(path, "failed", { reason }),
    ledger: { sourcePath: path, size: file.size, sha256: file.sha256, sessionId: null, outcome: "failed", reason, importedAt: new Date().toISOString(), revision: null },
    bytes: 0,
  });
  const converted = await convertLegacyFile(path, entry.stem, file.bytes, { timeZone });
  if (!converted.ok) return failed(converted.reason);
  const { recovered, notes } = converted;
  return {
    kind: "import",
    path,
    recovered,
    notes,
    bytes: file.size,
    item: {
      input: converted.input,
      onConflict,
      source: { key: path, size: file.size, sha256: file.sha256, reason: notes.length > 0 ? notes.join("; ") : null, recovered },
    },
  };
}

import type { ConflictPolicy, LedgerEntry } from "@victor/core";
import { prepareFile, type PreparedFile } from "./prepare-file.js";
import type { FileResult } from "./report.js";
import { importResult } from "./results.js";
import { listSourceFiles, type SourceEntry } from "./sources.js";
import type { MigrationWriter } from "./writer.js";

const READ_AHEAD = 64;
const MAX_BATCH_BYTES = 32 * 1024 * 1024;

async function* allEntries(sources: readonly string[]): AsyncGenerator<SourceEntry> {
  for (const dir of sources) yield* listSourceFiles(dir);
}

/** Reads files a few at a time ahead of the consumer, keeping their order. */
async function* prepareAll(entries: AsyncIterable<SourceEntry>, prepare: (e: SourceEntry) => Promise<PreparedFile>): AsyncGenerator<PreparedFile> {
  const queue: Promise<PreparedFile>[] = [];
  for await (const entry of entries) {
    queue.push(prepare(entry));
    if (queue.length >= READ_AHEAD) yield await queue.shift()!;
  }
  while (queue.length > 0) yield await queue.shift()!;
}

export interface JsonRunOptions {
  onConflict: ConflictPolicy;
  timeZone: string;
  batchSize: number;
  finish(result: FileResult): void;
}

/**
 * The legacy JSON files of the source folders, streamed and imported in batches (one transaction
 * per batch, ledger rows in the same transaction). Source files are only ever read.
 */
export async function importJsonFiles(sources: readonly string[], writer: MigrationWriter, options: JsonRunOptions): Promise<void> {
  let batch: PreparedFile[] = [];
  let batchBytes = 0;
  const flush = async (): Promise<void> => {
    const imports = batch.filter((p): p is Extract<PreparedFile, { kind: "import" }> => p.kind === "import");
    const failures = batch.flatMap((p): LedgerEntry[] => (p.kind === "final" && p.ledger ? [p.ledger] : []));
    const outcomes = await writer.importItems(imports.map((p) => p.item));
    const late = imports.flatMap((p, i): LedgerEntry[] => {
      const outcome = outcomes[i]!;
      if (!(outcome instanceof Error)) return [];
      const { key, size, sha256 } = p.item.source!;
      return [{ sourcePath: key, size, sha256, sessionId: null, outcome: "failed", reason: `not a valid Victor session: ${outcome.message}`, importedAt: new Date().toISOString(), revision: null }];
    });
    await writer.recordFailures([...failures, ...late]);
    let next = 0;
    for (const prepared of batch) {
      options.finish(
        prepared.kind === "final"
          ? prepared.result
          : importResult(prepared.path, prepared.item.input.sessionId, outcomes[next++]!, { recovered: prepared.recovered, notes: prepared.notes }),
      );
    }
    batch = [];
    batchBytes = 0;
  };
  const prepare = (entry: SourceEntry): Promise<PreparedFile> => prepareFile(entry, (path) => writer.ledgerEntry(path), options.onConflict, options.timeZone);
  for await (const prepared of prepareAll(allEntries(sources), prepare)) {
    batch.push(prepared);
    batchBytes += prepared.bytes;
    if (batch.length >= options.batchSize || batchBytes >= MAX_BATCH_BYTES) await flush();
  }
  await flush();
}

import type { ImportItem, ImportItemResult, LedgerEntry } from "@victor/core";
import type { MigrationWriter } from "@victor/migrate";

type Done = (result: ImportItemResult | Error) => void;

/**
 * Groups the last write of many small sessions into one transaction (one `importSessions` call,
 * ledger entries included): a thousand small files cost a few commits, not a thousand. Chunks of
 * a long session are written at once, after anything queued for the same session.
 */
export class WriteBatch {
  private queue: { item: ImportItem; done: Done }[] = [];
  private ledger: LedgerEntry[] = [];
  private bytes = 0;

  constructor(
    private readonly writer: MigrationWriter,
    private readonly limits = { items: 200, bytes: 32 * 1024 * 1024 },
  ) {}

  /** Whether a write for this session is waiting (read the store only after flushing it). */
  holds(sessionId: string): boolean {
    return this.queue.some((q) => q.item.input.sessionId === sessionId);
  }

  async now(item: ImportItem): Promise<ImportItemResult | Error> {
    if (this.holds(item.input.sessionId)) await this.flush();
    const [result] = await this.writer.importItems([item]);
    return result!;
  }

  /** Queues a session's last write; `done` runs when it is written (or rejected). */
  async later(item: ImportItem, bytes: number, done: Done): Promise<void> {
    this.queue.push({ item, done });
    this.bytes += bytes;
    if (this.queue.length >= this.limits.items || this.bytes >= this.limits.bytes) await this.flush();
  }

  /** A ledger entry with no session (an ignored or failed file), written with the next batch. */
  record(entry: LedgerEntry): void {
    this.ledger.push(entry);
  }

  async flush(): Promise<void> {
    const queued = this.queue.splice(0);
    const entries = this.ledger.splice(0);
    this.bytes = 0;
    if (queued.length > 0) {
      const results = await this.writer.importItems(queued.map((q) => q.item));
      queued.forEach((q, i) => q.done(results[i]!));
    }
    if (entries.length > 0) await this.writer.recordFailures(entries);
  }
}

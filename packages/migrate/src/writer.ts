import { InvalidSessionDataError, InvalidSessionIdError, type ImportItem, type ImportItemResult, type LedgerEntry, type SessionStore } from "@victor/core";

/** Where the migration's decisions land: the real store, or a simulation for --dry-run. */
export interface MigrationWriter {
  ledgerEntry(path: string): Promise<LedgerEntry | null>;
  /** Imports the items (one transaction); an item the store rejects comes back as an Error. */
  importItems(items: readonly ImportItem[]): Promise<(ImportItemResult | Error)[]>;
  recordFailures(entries: readonly LedgerEntry[]): Promise<void>;
  close(): Promise<void>;
}

const isDataError = (error: unknown): error is Error => error instanceof InvalidSessionDataError || error instanceof InvalidSessionIdError;

/** Writes into the store; backs it up first (once) when it already holds sessions. */
export class StoreWriter implements MigrationWriter {
  private prepared = false;

  constructor(
    private readonly store: SessionStore,
    private readonly options: { backup: boolean; onBackup(path: string): void },
  ) {}

  private async beforeWrite(): Promise<void> {
    if (this.prepared) return;
    this.prepared = true;
    if (!this.options.backup || (await this.store.countSessions()) === 0) return;
    const path = await this.store.backupTo();
    this.options.onBackup(path);
  }

  ledgerEntry(path: string): Promise<LedgerEntry | null> {
    return this.store.getLedgerEntry(path);
  }

  async importItems(items: readonly ImportItem[]): Promise<(ImportItemResult | Error)[]> {
    if (items.length === 0) return [];
    await this.beforeWrite();
    try {
      return await this.store.importSessions(items);
    } catch (error) {
      if (!isDataError(error) || items.length === 1) {
        if (isDataError(error)) return [error];
        throw error;
      }
    }
    // One item was rejected and rolled the batch back: import one by one to find it.
    const results: (ImportItemResult | Error)[] = [];
    for (const item of items) results.push(...(await this.importItems([item])));
    return results;
  }

  async recordFailures(entries: readonly LedgerEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.beforeWrite();
    await this.store.recordLedgerEntries(entries);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/**
 * --dry-run: reads the existing store (if any) read-only and simulates the core's import rules, so
 * the report is the one a real run would print. Nothing is written.
 */
export class DryRunWriter implements MigrationWriter {
  private readonly created = new Set<string>();

  constructor(private readonly store: SessionStore | null) {}

  ledgerEntry(path: string): Promise<LedgerEntry | null> {
    return this.store ? this.store.getLedgerEntry(path) : Promise.resolve(null);
  }

  private async exists(id: string): Promise<boolean> {
    if (this.created.has(id)) return true;
    if (!this.store) return false;
    return (await this.store.findSessionIds(id, 1))[0] === id;
  }

  async importItems(items: readonly ImportItem[]): Promise<(ImportItemResult | Error)[]> {
    const results: ImportItemResult[] = [];
    for (const item of items) {
      const requestedId = item.input.sessionId;
      const exists = await this.exists(requestedId);
      if (exists && !item.ownsExisting && item.onConflict === "skip") {
        results.push({ requestedId, sessionId: null, status: "skipped-conflict" });
        continue;
      }
      let sessionId = requestedId;
      const renaming = exists && !item.ownsExisting && item.onConflict === "rename";
      if (renaming) for (let n = 2; await this.exists(sessionId); n++) sessionId = `${requestedId}_${n}`;
      this.created.add(sessionId);
      results.push({ requestedId, sessionId, status: renaming ? "renamed" : exists ? "updated" : "created" });
    }
    return results;
  }

  async recordFailures(): Promise<void> {}

  async close(): Promise<void> {
    await this.store?.close();
  }
}

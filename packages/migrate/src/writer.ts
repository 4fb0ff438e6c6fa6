import {
  InvalidSessionDataError,
  InvalidSessionIdError,
  sqliteMaintenance,
  type BackupResult,
  type ImportItem,
  type ImportItemResult,
  type ImportSimulation,
  type LedgerEntry,
  type SessionStore,
} from "@victor/core";

/** Where the migration's decisions land: the real store, or a simulation for --dry-run. */
export interface MigrationWriter {
  ledgerEntry(path: string): Promise<LedgerEntry | null>;
  /** Imports the items (one transaction); an item the store rejects comes back as an Error. */
  importItems(items: readonly ImportItem[]): Promise<(ImportItemResult | Error)[]>;
  recordFailures(entries: readonly LedgerEntry[]): Promise<void>;
  close(): Promise<void>;
}

const isDataError = (error: unknown): error is Error => error instanceof InvalidSessionDataError || error instanceof InvalidSessionIdError;

export interface StoreWriterOptions {
  /** Back the database up before the first write when it holds sessions (an SQLite file; a server has its own backups). */
  backup: boolean;
  keepBackups?: number;
  onBackup(backup: BackupResult): void;
}

/** Writes into the store; backs it up first (once) when it already holds sessions. */
export class StoreWriter implements MigrationWriter {
  private prepared = false;

  constructor(
    private readonly store: SessionStore,
    private readonly options: StoreWriterOptions,
  ) {}

  private async beforeWrite(): Promise<void> {
    if (this.prepared) return;
    this.prepared = true;
    if (!this.options.backup || this.store.engineKind !== "sqlite" || (await this.store.countSessions()) === 0) return;
    this.options.onBackup(await (await sqliteMaintenance(this.store)).backupTo(undefined, { keep: this.options.keepBackups }));
  }

  ledgerEntry(path: string): Promise<LedgerEntry | null> {
    return this.store.ledger.get(path);
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
    await this.store.ledger.recordFailures(entries);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/**
 * --dry-run: the core's own import rules over the store as it is (read-only) plus what the run
 * would have written so far, so the report is the one a real run would print. Nothing is written.
 */
export class DryRunWriter implements MigrationWriter {
  constructor(
    private readonly store: SessionStore | null,
    private readonly simulation: ImportSimulation,
  ) {}

  ledgerEntry(path: string): Promise<LedgerEntry | null> {
    return this.store ? this.store.ledger.get(path) : Promise.resolve(null);
  }

  async importItems(items: readonly ImportItem[]): Promise<(ImportItemResult | Error)[]> {
    return this.simulation.run(items);
  }

  async recordFailures(): Promise<void> {}

  async close(): Promise<void> {
    await this.store?.close();
  }
}

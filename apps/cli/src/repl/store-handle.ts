import { openSessionStore, type OpenSessionStoreOptions, type SessionStore, type StoreLocation } from "@victor/core";
import { existsSync } from "node:fs";

/**
 * The chat's session store, opened on first use: reading never creates a database file (`/sessions`
 * in a new project says "No saved sessions found"), the first save does. Closed once at the end,
 * which lets SQLite fold the write-ahead log into the database file.
 */
export class StoreHandle {
  private store: SessionStore | null = null;

  constructor(
    private readonly location: StoreLocation,
    private readonly options: OpenSessionStoreOptions,
  ) {}

  async forWrite(): Promise<SessionStore> {
    this.store ??= await openSessionStore(this.options);
    return this.store;
  }

  async ifExists(): Promise<SessionStore | null> {
    if (this.store) return this.store;
    return this.location.engine === "postgres" || existsSync(this.location.path) ? this.forWrite() : null;
  }

  async close(): Promise<void> {
    const store = this.store;
    this.store = null;
    await store?.close();
  }
}

import { openSessionStore, resolveDbPath, type SessionStore } from "@victor/core";
import { existsSync } from "node:fs";

export interface StoreArgs {
  db?: string;
}

/** The database file this invocation uses: --db, then VICTOR_DB_PATH, then the project's. */
export function dbPathFor(args: StoreArgs): string {
  return resolveDbPath({ dbPath: args.db });
}

/** Opens (creating if needed) the session store for a command that writes. */
export function openStoreForWrite(args: StoreArgs): Promise<SessionStore> {
  return openSessionStore({ dbPath: dbPathFor(args) });
}

/**
 * Opens the store for a command that only reads. When no database exists yet, returns null so the
 * command can report "No saved sessions found" without creating files in the user's project.
 */
export async function openStoreForRead(args: StoreArgs): Promise<SessionStore | null> {
  const path = dbPathFor(args);
  if (!existsSync(path)) return null;
  return openSessionStore({ dbPath: path });
}

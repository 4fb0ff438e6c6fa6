import { openSessionStore, resolveDbPath, type SessionStore } from "@victor/core";
import { existsSync } from "node:fs";
import type { CliIo } from "./io.js";

export interface StoreArgs {
  db?: string;
}

/** The database file this invocation uses: --db, then VICTOR_DB_PATH, then the project's. */
export function dbPathFor(args: StoreArgs, io: Pick<CliIo, "cwd" | "env">): string {
  return resolveDbPath({ dbPath: args.db, cwd: io.cwd, env: io.env });
}

/** Opens (creating if needed) the session store for a command that writes. */
export function openStoreForWrite(args: StoreArgs, io: Pick<CliIo, "cwd" | "env">): Promise<SessionStore> {
  return openSessionStore({ dbPath: dbPathFor(args, io) });
}

/**
 * Opens the store for a command that only reads. When no database exists yet, returns null so the
 * command can report "No saved sessions found" without creating files in the user's project.
 */
export async function openStoreForRead(args: StoreArgs, io: Pick<CliIo, "cwd" | "env">): Promise<SessionStore | null> {
  const path = dbPathFor(args, io);
  if (!existsSync(path)) return null;
  return openSessionStore({ dbPath: path });
}

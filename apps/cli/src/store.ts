import { openSessionStore, redactUrl, resolveStoreLocation, type OpenSessionStoreOptions, type SessionStore, type StoreLocation } from "@victor/core";
import { existsSync } from "node:fs";
import type { CliIo } from "./io.js";

export interface StoreArgs {
  /** `--db`: a database file, or a PostgreSQL server's postgres:// URL. */
  db?: string;
}

/** Where this invocation's sessions live: --db, then VICTOR_DB_URL, VICTOR_DB_PATH, then the project's file. */
export function storeLocationFor(args: StoreArgs, io: Pick<CliIo, "cwd" | "env">): StoreLocation {
  return resolveStoreLocation({ dbPath: args.db, cwd: io.cwd, env: io.env });
}

/** The database as shown to the user: the file's path, or the server's URL without its password. */
export function dbPathFor(args: StoreArgs, io: Pick<CliIo, "cwd" | "env">): string {
  return describeLocation(storeLocationFor(args, io));
}

export function describeLocation(location: StoreLocation): string {
  return location.engine === "sqlite" ? location.path : redactUrl(location.url);
}

/** The options that open the store at a location (a server's project key comes from cwd and env). */
export function openOptionsFor(location: StoreLocation, io: Pick<CliIo, "cwd" | "env">): OpenSessionStoreOptions {
  return { ...(location.engine === "sqlite" ? { dbPath: location.path } : { url: location.url }), cwd: io.cwd, env: io.env };
}

/** Opens (creating if needed) the session store for a command that writes. */
export function openStoreForWrite(args: StoreArgs, io: Pick<CliIo, "cwd" | "env">): Promise<SessionStore> {
  return openSessionStore(openOptionsFor(storeLocationFor(args, io), io));
}

/**
 * Opens the store for a command that only reads. When no database file exists yet, returns null so
 * the command can report "No saved sessions found" without creating files in the user's project.
 */
export async function openStoreForRead(args: StoreArgs, io: Pick<CliIo, "cwd" | "env">): Promise<SessionStore | null> {
  const location = storeLocationFor(args, io);
  if (location.engine === "sqlite" && !existsSync(location.path)) return null;
  return openSessionStore(openOptionsFor(location, io));
}

import { openSessionStore, redactUrl, type OpenSessionStoreOptions, type SessionStore, type StoreLocation } from "@victor/core";
import { existsSync } from "node:fs";
import type { CliIo } from "./io.js";
import { storeLocationFor, type StoreArgs } from "./location.js";

/** The database as shown to the user: the file's path, or the server's URL without its password. */
export function dbPathFor(args: StoreArgs, io: Pick<CliIo, "cwd" | "env">): string {
  return describeLocation(storeLocationFor(args, io));
}

export function describeLocation(location: StoreLocation): string {
  return location.engine === "sqlite" ? location.path : redactUrl(location.url);
}

/** The options that open the store at a location (a server's project key: `project`, else from cwd and env). */
export function openOptionsFor(location: StoreLocation, io: Pick<CliIo, "cwd" | "env">, project?: string): OpenSessionStoreOptions {
  return { ...(location.engine === "sqlite" ? { dbPath: location.path } : { url: location.url }), cwd: io.cwd, env: io.env, ...(project === undefined ? {} : { project }) };
}

/** Opens (creating if needed) the session store for a command that writes (`location`: when the caller resolved it already). */
export function openStoreForWrite(args: StoreArgs, io: Pick<CliIo, "cwd" | "env">, location = storeLocationFor(args, io)): Promise<SessionStore> {
  return openSessionStore(openOptionsFor(location, io, args.project));
}

/**
 * Opens the store for a command that only reads. When no database file exists yet, returns null so
 * the command can report "No saved sessions found" without creating files in the user's project.
 */
export async function openStoreForRead(args: StoreArgs, io: Pick<CliIo, "cwd" | "env">, location = storeLocationFor(args, io)): Promise<SessionStore | null> {
  if (location.engine === "sqlite" && !existsSync(location.path)) return null;
  return openSessionStore(openOptionsFor(location, io, args.project));
}

import type { OpenSessionStoreOptions, SessionStore } from "@victor/core";
import { redactUrl, resolveStoreLocation, type StoreLocation } from "@victor/core/lite";
import { existsSync } from "node:fs";
import type { CliIo } from "./io.js";

export interface StoreArgs {
  /** `--db`: a database file, or a PostgreSQL server's postgres:// URL. */
  db?: string;
  /** `--project`: the project's key on a server (else its git remote, VICTOR_PROJECT, .victor/config.json). */
  project?: string;
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

/** The options that open the store at a location (a server's project key: `project`, else from cwd and env). */
export function openOptionsFor(location: StoreLocation, io: Pick<CliIo, "cwd" | "env">, project?: string): OpenSessionStoreOptions {
  return { ...(location.engine === "sqlite" ? { dbPath: location.path } : { url: location.url }), cwd: io.cwd, env: io.env, ...(project === undefined ? {} : { project }) };
}

/** Opens (creating if needed) the session store for a command that writes. */
export async function openStoreForWrite(args: StoreArgs, io: Pick<CliIo, "cwd" | "env">): Promise<SessionStore> {
  return (await loadCore()).openSessionStore(openOptionsFor(storeLocationFor(args, io), io, args.project));
}

/**
 * Opens the store for a command that only reads. When no database file exists yet, returns null so
 * the command can report "No saved sessions found" without creating files in the user's project.
 */
export async function openStoreForRead(args: StoreArgs, io: Pick<CliIo, "cwd" | "env">): Promise<SessionStore | null> {
  const location = storeLocationFor(args, io);
  if (location.engine === "sqlite" && !existsSync(location.path)) return null;
  return (await loadCore()).openSessionStore(openOptionsFor(location, io, args.project));
}

/**
 * The store's engines (drizzle and the rest of @victor/core), loaded when a store is opened: finding
 * it needs only the light entry, and a cold `victor sessions list` never opens one (see list.ts).
 */
const loadCore = (): Promise<typeof import("@victor/core")> => import("@victor/core");

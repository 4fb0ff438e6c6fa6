import {
  currentProjectKey,
  findProjectRoot,
  openSessionStore,
  projectConfigPath,
  readProjectConfig,
  resolveStoreLocation,
  VictorError,
  type SessionStore,
  type StoreLocation,
} from "@victor/core";
import { UsageError } from "../../errors.js";
import type { CliIo } from "../../io.js";
import { describeLocation, openOptionsFor, openStoreForRead, openStoreForWrite } from "../../store.js";
import { storeLocationFor } from "../../location.js";
import type { GlobalArgs } from "./shared.js";

/** Some sessions could not be sent (listed in the report): exit 3, as victor-migrate and victor import do. */
export class SyncIncompleteError extends VictorError {
  constructor(count: number, direction: string) {
    super(`${count} session(s) could not be ${direction === "pull" ? "pulled" : "pushed"} (listed above); the others were.`, { exitCode: 3 });
  }
}

/**
 * The other store of push/pull/sync: `--to`/`--from`/`--remote` (a postgres:// URL, or a file),
 * else VICTOR_REMOTE_URL, else `"remote"` in the project's .victor/config.json. Never VICTOR_DB_URL:
 * that one says where this project's sessions are, not where they go.
 */
function remoteLocation(named: string | undefined, io: Pick<CliIo, "cwd" | "env">, flag: string): StoreLocation {
  const remote = named?.trim() || io.env.VICTOR_REMOTE_URL?.trim() || configuredRemote(io, flag);
  return resolveStoreLocation({ dbPath: remote, cwd: io.cwd, env: io.env });
}

/** `"remote"` in the project's .victor/config.json: the project root is looked for once, and only when no flag or variable names the store. */
function configuredRemote(io: Pick<CliIo, "cwd" | "env">, flag: string): string {
  const root = findProjectRoot(io.cwd, io.env);
  const remote = readProjectConfig(root).remote;
  if (!remote) {
    throw new UsageError(`Name the other store: ${flag} postgres://USER@HOST/DATABASE, or set VICTOR_REMOTE_URL, or put { "remote": "postgres://…" } in ${projectConfigPath(root)}.`);
  }
  return remote;
}

export interface SyncStores {
  local: SessionStore | null;
  remote: SessionStore;
  /** Where each one is, as shown (no password). */
  localName: string;
  remoteName: string;
  /** The project both are about (a server's sessions are this project's). */
  project: string | null;
}

/**
 * Opens this project's store (`--db`, VICTOR_DB_URL/VICTOR_DB_PATH, the project's file) and the
 * other one. A local file that does not exist is opened only when `createLocal` (a pull creates it).
 */
export async function withSyncStores<T>(args: GlobalArgs, remoteArg: string | undefined, flag: string, createLocal: boolean, fn: (stores: SyncStores) => Promise<T>): Promise<T> {
  const io = args.terminal.io;
  const localAt = storeLocationFor(args, io);
  const remoteAt = remoteLocation(remoteArg, io, flag);
  const project = currentProjectKey({ project: args.project, cwd: io.cwd, env: io.env });
  const opened: SessionStore[] = [];
  try {
    const local = createLocal ? await openStoreForWrite(args, io, localAt) : await openStoreForRead(args, io, localAt);
    if (local) opened.push(local);
    const remote = await openSessionStore(openOptionsFor(remoteAt, io, args.project));
    opened.push(remote);
    return await fn({ local, remote, localName: describeLocation(localAt), remoteName: describeLocation(remoteAt), project });
  } finally {
    for (const store of opened) await store.close();
  }
}

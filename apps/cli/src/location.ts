import { resolveStoreLocation, type StoreLocation } from "@victor/core/lite";
import type { CliIo } from "./io.js";

export interface StoreArgs {
  /** `--db`: a database file, or a PostgreSQL server's postgres:// URL. */
  db?: string;
  /** `--project`: the project's key on a server (else its git remote, VICTOR_PROJECT, .victor/config.json). */
  project?: string;
}

/**
 * Where this invocation's sessions live: --db, then VICTOR_DB_URL, VICTOR_DB_PATH, then the project's
 * file. A module of its own on @victor/core/lite: a cold `victor sessions list` needs this and not the store.
 */
export function storeLocationFor(args: StoreArgs, io: Pick<CliIo, "cwd" | "env">): StoreLocation {
  return resolveStoreLocation({ dbPath: args.db, cwd: io.cwd, env: io.env });
}

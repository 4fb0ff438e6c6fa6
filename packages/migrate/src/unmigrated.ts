import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { legacySessionDirs, openSessionStore, resolveDbPath } from "@victor/core";

export interface UnmigratedOptions {
  cwd?: string;
  dbPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Folders to look in; default the legacy folders of the project (home and project). */
  sources?: readonly string[];
}

export interface UnmigratedFiles {
  /** How many legacy `*.json` files the ledger does not know at their current size. */
  count: number;
  /** The first few of them (at most 20), for a hint. */
  examples: string[];
  dbPath: string;
}

/**
 * A cheap start-up check (a few ms): legacy session files not yet migrated, comparing each
 * `*.json` file's path and size to the ledger. Never creates or changes anything.
 */
export async function findUnmigratedLegacyFiles(options: UnmigratedOptions = {}): Promise<UnmigratedFiles> {
  const cwd = options.cwd ?? process.cwd();
  const dbPath = resolveDbPath({ dbPath: options.dbPath, cwd, env: options.env });
  const dirs = options.sources ?? legacySessionDirs(cwd);
  const known = new Map<string, number>();
  if (dirs.length > 0 && existsSync(dbPath)) {
    const store = await openSessionStore({ dbPath, readonly: true });
    try {
      for (const entry of await store.listLedger()) known.set(entry.sourcePath, entry.size);
    } finally {
      await store.close();
    }
  }
  const result: UnmigratedFiles = { count: 0, examples: [], dbPath };
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!/\.json$/i.test(name)) continue;
      const path = join(dir, name);
      let size: number;
      try {
        const info = statSync(path);
        if (!info.isFile()) continue;
        size = info.size;
      } catch {
        continue;
      }
      if (known.get(path) === size) continue;
      result.count++;
      if (result.examples.length < 20) result.examples.push(path);
    }
  }
  return result;
}

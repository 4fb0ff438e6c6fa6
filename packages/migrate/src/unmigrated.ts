import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { isValidSessionId, legacySessionDirs, openSessionStore, PythonVictorDatabaseError, resolveDbPath, type SessionStore } from "@victor/core";

export interface UnmigratedOptions {
  cwd?: string;
  dbPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Folders to look in; default the legacy folders of the project (home and project). */
  sources?: readonly string[];
}

export interface UnmigratedFiles {
  /**
   * How many legacy `*.json` files the ledger does not know at their current size and whose id is
   * not a session in the database either (a `/load` + `/save` stores a file without the ledger).
   */
  count: number;
  /** The first few of them (at most 20), for a hint. */
  examples: string[];
  dbPath: string;
  /** The database is the Python Victor's, not upgraded yet (victor-migrate does it); null otherwise. */
  pythonDatabase: PythonVictorDatabaseError | null;
}

/**
 * A cheap start-up check (a few ms): legacy session files not yet migrated, comparing each
 * `*.json` file's path and size to the ledger, and whether the database is still the Python
 * Victor's. Never creates or changes anything.
 */
export async function findUnmigratedLegacyFiles(options: UnmigratedOptions = {}): Promise<UnmigratedFiles> {
  const cwd = options.cwd ?? process.cwd();
  const dbPath = resolveDbPath({ dbPath: options.dbPath, cwd, env: options.env });
  const dirs = options.sources ?? legacySessionDirs(cwd, options.env);
  let store: SessionStore | null = null;
  let pythonDatabase: PythonVictorDatabaseError | null = null;
  try {
    if (existsSync(dbPath)) store = await openSessionStore({ dbPath, readonly: true });
  } catch (error) {
    if (!(error instanceof PythonVictorDatabaseError)) throw error;
    pythonDatabase = error;
  }
  try {
    return { ...(await collectUnmigrated(dirs, store, dbPath)), pythonDatabase };
  } finally {
    await store?.close();
  }
}

async function collectUnmigrated(dirs: readonly string[], store: SessionStore | null, dbPath: string): Promise<Omit<UnmigratedFiles, "pythonDatabase">> {
  const known = new Map<string, number>();
  for (const entry of store ? await store.ledger.list() : []) known.set(entry.sourcePath, entry.size);
  const result: Omit<UnmigratedFiles, "pythonDatabase"> = { count: 0, examples: [], dbPath };
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
      const ledgerSize = known.get(path);
      if (ledgerSize === size) continue;
      // Never migrated, but stored all the same (a /load then /save): already in the database.
      const stem = name.slice(0, -".json".length);
      if (ledgerSize === undefined && store && isValidSessionId(stem) && (await store.hasSession(stem))) continue;
      result.count++;
      if (result.examples.length < 20) result.examples.push(path);
    }
  }
  return result;
}

import { legacySessionDirs, type SessionStore } from "@victor/core";
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";

/**
 * How many legacy JSON session files are not in the database yet: a directory listing plus one ledger
 * (or session id) lookup per file — no file is opened. Cheap enough for start-up.
 */
export async function countUnmigratedLegacyFiles(cwd: string, store: SessionStore | null): Promise<number> {
  let count = 0;
  for (const dir of legacySessionDirs(cwd)) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith(".json"));
    } catch {
      continue;
    }
    for (const name of names) {
      if (!store) {
        count++;
        continue;
      }
      const path = join(dir, name);
      if (await store.getLedgerEntry(path)) continue;
      const id = basename(name, ".json");
      const saved = await store.findSessionIds(id, 1).catch(() => []);
      if (saved[0] !== id) count++;
    }
  }
  return count;
}

export function legacyHint(count: number): string {
  return `Found ${count} legacy JSON session${count === 1 ? "" : "s"} not yet in the database: run \`victor-migrate\` to import ${count === 1 ? "it" : "them"} (or /load ID to open one).`;
}

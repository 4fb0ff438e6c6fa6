import { InvalidSessionIdError, isValidSessionId, legacySessionDirs } from "@victor/core";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** Finds `<id>.json` in the legacy folders (project first: it is the newer location). */
export function findLegacyFile(id: string, cwd: string): string | null {
  if (!isValidSessionId(id)) throw new InvalidSessionIdError(id);
  for (const dir of legacySessionDirs(cwd).reverse()) {
    const path = join(dir, `${id}.json`);
    if (existsSync(path)) return path;
  }
  return null;
}

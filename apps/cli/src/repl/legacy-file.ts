import { AmbiguousSessionIdError, InvalidSessionIdError, isValidSessionId, legacySessionDirs } from "@victor/core";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** The ids (file stems) of the legacy sessions in the legacy folders, project folder first. */
export function legacyIds(cwd: string, env: NodeJS.ProcessEnv): { id: string; path: string }[] {
  const found = new Map<string, string>();
  // Project first: it is the newer location, so its file wins over a home one of the same id.
  for (const dir of legacySessionDirs(cwd, env).reverse()) {
    for (const name of readdirSync(dir)) {
      if (!name.endsWith(".json")) continue;
      const id = name.slice(0, -".json".length);
      if (isValidSessionId(id) && !found.has(id)) found.set(id, join(dir, name));
    }
  }
  return [...found].map(([id, path]) => ({ id, path }));
}

/**
 * Finds `<id>.json` in the legacy folders; a unique prefix of a file's id works too, as everywhere
 * else an id is typed. An ambiguous prefix lists the candidates.
 */
export function findLegacyFile(idOrPrefix: string, cwd: string, env: NodeJS.ProcessEnv): { id: string; path: string } | null {
  if (!isValidSessionId(idOrPrefix)) throw new InvalidSessionIdError(idOrPrefix);
  for (const dir of legacySessionDirs(cwd, env).reverse()) {
    const path = join(dir, `${idOrPrefix}.json`);
    if (existsSync(path)) return { id: idOrPrefix, path };
  }
  const candidates = legacyIds(cwd, env).filter((f) => f.id.startsWith(idOrPrefix));
  if (candidates.length > 1) throw new AmbiguousSessionIdError(idOrPrefix, candidates.map((c) => c.id).sort());
  return candidates[0] ?? null;
}

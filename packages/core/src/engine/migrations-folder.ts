import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The package's migration folder of one dialect (`drizzle/sqlite`, `drizzle/pg`). Found by walking
 * up from this module: it runs from src/ (tests), from tsc's dist/engine/… and from the bundle's
 * chunks in dist/, each at another depth below the package root.
 */
export function migrationsFolder(dialect: "sqlite" | "pg"): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    const candidate = join(dir, "drizzle", dialect);
    if (existsSync(join(candidate, "meta", "_journal.json"))) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`The ${dialect} migrations of @victor/core are missing (drizzle/${dialect}): reinstall the package.`);
}

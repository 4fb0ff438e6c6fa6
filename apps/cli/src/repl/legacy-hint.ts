import { findUnmigratedLegacyFiles } from "@victor/migrate";
import { legacyDirs } from "./legacy-file.js";

/** The start-up hint when legacy JSON sessions are not in the database yet; null when there are none. */
export async function legacyHint(cwd: string, dbPath: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const { count } = await findUnmigratedLegacyFiles({ cwd, dbPath, env, sources: legacyDirs(cwd, env) });
  if (count === 0) return null;
  return `Found ${count} legacy JSON session${count === 1 ? "" : "s"} not yet in the database: run \`victor-migrate\` to import ${count === 1 ? "it" : "them"} (or /load ID to open one).`;
}

import { TOOL_NAMES, findImportableSessions, type Tool } from "@victor/import";

/**
 * The start-up hint when other AI tools have sessions no import has seen; empty when there are none.
 * Their folders are found from `env` (HOME, CODEX_HOME, CLAUDE_CONFIG_DIR) of this run, like the
 * legacy hint's.
 */
export async function importHint(cwd: string, dbPath: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const { counts, total } = await findImportableSessions({ cwd, dbPath, env });
  if (total === 0) return [];
  const parts = (Object.keys(counts) as Tool[]).filter((t) => counts[t] > 0).map((t) => `${TOOL_NAMES[t]}: ${counts[t]}`);
  return [`Found ${total} session${total === 1 ? "" : "s"} of other AI coding tools not imported yet (${parts.join(", ")}): run \`victor import\` to bring ${total === 1 ? "it" : "them"} in.`];
}

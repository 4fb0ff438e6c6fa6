import { TOOL_NAMES, findImportableSessions, type Tool } from "@victor/import";

/** The start-up hint when other AI tools have sessions no import has seen; null when there are none. */
export async function importHint(cwd: string, dbPath: string): Promise<string | null> {
  const { counts, total } = await findImportableSessions({ cwd, dbPath });
  if (total === 0) return null;
  const parts = (Object.keys(counts) as Tool[]).filter((t) => counts[t] > 0).map((t) => `${TOOL_NAMES[t]}: ${counts[t]}`);
  return `Found ${total} session${total === 1 ? "" : "s"} of other AI coding tools not imported yet (${parts.join(", ")}): run \`victor import\` to bring ${total === 1 ? "it" : "them"} in.`;
}

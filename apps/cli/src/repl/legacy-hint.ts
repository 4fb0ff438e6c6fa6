import { findUnmigratedLegacyFiles } from "@victor/migrate";

/**
 * The start-up hints: the database is still the Python Victor's, and/or legacy JSON sessions are
 * not in the database yet. Empty when there is nothing to say.
 */
export async function legacyHint(cwd: string, dbPath: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const { count, pythonDatabase } = await findUnmigratedLegacyFiles({ cwd, dbPath, env });
  const hints: string[] = [];
  if (pythonDatabase) {
    const n = pythonDatabase.sessionCount;
    hints.push(
      `${dbPath} was written by the Python Victor: ${n} session${n === 1 ? "" : "s"}. Run \`victor-migrate\` (e.g. in another terminal) to upgrade it; ` +
        "until then /save cannot store this chat, and everything you type is kept.",
    );
  }
  if (count > 0) {
    hints.push(`Found ${count} legacy JSON session${count === 1 ? "" : "s"} not yet in the database: run \`victor-migrate\` to import ${count === 1 ? "it" : "them"} (or /load ID to open one).`);
  }
  return hints;
}

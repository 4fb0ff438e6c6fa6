import { backupsToKeepFromEnv, restoreDatabase } from "@victor/core";
import { resolve } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { dbPathFor } from "../../store.js";
import { type GlobalArgs, confirmDestructive, outColors, parseCount, plural, say } from "./shared.js";

export interface RestoreArgs extends GlobalArgs {
  file: string;
  yes?: boolean;
  keep?: number;
}

/**
 * Puts a backup back safely (see core's restoreDatabase): checked first, the current database
 * backed up, pages written through SQLite so its -wal/-shm stay consistent — unlike `cp`.
 */
export const restoreCommand: CommandModule<GlobalArgs, RestoreArgs> = {
  command: "restore <file>",
  describe: "Replace the session database with a backup (checked first; the current database is backed up)",
  builder: (y) =>
    y
      .positional("file", { type: "string", describe: "The backup to restore (e.g. .victor/project.db.backup-20260107-153045)", demandOption: true })
      .option("yes", { alias: "y", type: "boolean", describe: "Do not ask for confirmation" })
      .option("keep", { type: "number", describe: "How many timestamped backups to keep next to the database (default 5, or VICTOR_BACKUP_KEEP)" }) as Argv<RestoreArgs>,
  handler: async (args) => {
    const keep = parseCount(args.keep, "--keep") ?? backupsToKeepFromEnv();
    const dbPath = dbPathFor(args);
    const file = resolve(String(args.file));
    const ok = await confirmDestructive(`Replace ${dbPath} with the backup ${file}? The current database is backed up first.`, {
      yes: args.yes,
      action: `restore ${file} over ${dbPath}`,
    });
    if (!ok) {
      say("Cancelled; nothing was changed.");
      return;
    }
    const result = await restoreDatabase(dbPath, file, { keep });
    const c = outColors();
    if (result.previousBackup) say(`The database as it was is in ${result.previousBackup}.`);
    say(c.green(`Restored ${dbPath} from ${file} (verified: integrity_check and the row count of every table).`));
    const { content } = result;
    if (content.kind === "python") {
      say(`It is the Python Victor's database again: ${plural(content.sessions, "session")} (${content.schemaName}). Run victor-migrate to upgrade it.`);
    } else {
      say(`It holds ${plural(content.sessions, "session")}.`);
    }
  },
};

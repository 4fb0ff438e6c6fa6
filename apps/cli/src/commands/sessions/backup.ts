import { backupsToKeepFromEnv } from "@victor/core";
import { resolve } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { CliError } from "../../errors.js";
import { dbPathFor } from "../../store.js";
import { type GlobalArgs, parseCount, say, withReadStore } from "./shared.js";

export interface BackupArgs extends GlobalArgs {
  file?: string;
  keep?: number;
}

/**
 * A consistent copy made by SQLite itself and verified before its path is printed: unlike `cp`, safe
 * while another Victor is writing.
 */
export const backupCommand: CommandModule<GlobalArgs, BackupArgs> = {
  command: "backup [file]",
  describe: "Copy the session database safely (even while Victor runs) and verify the copy",
  builder: (y) =>
    y
      .positional("file", { type: "string", describe: "Where to write the copy (default: next to the database, timestamped)" })
      .option("keep", { type: "number", describe: "How many timestamped backups to keep next to the database (default 5, or VICTOR_BACKUP_KEEP)" }) as Argv<BackupArgs>,
  handler: async (args) => {
    const keep = parseCount(args.keep, "--keep") ?? backupsToKeepFromEnv();
    const backup = await withReadStore(args, async (store) => {
      if (!store) throw new CliError(`No session database yet at ${dbPathFor(args)}: nothing to back up.`);
      return store.backupTo(args.file ? resolve(args.file) : undefined, { keep });
    });
    say(`Backed up ${dbPathFor(args)} to ${backup.path} (verified: integrity_check and the row count of every table).`);
    if (backup.removed.length > 0) say(`Removed ${backup.removed.length} older or partial backup file(s): ${backup.removed.join(", ")}`);
    say(`Restore it with: victor sessions restore ${backup.path}`);
  },
};

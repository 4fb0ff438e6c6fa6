import { backupsToKeepFromEnv, sqliteMaintenance } from "@victor/core";
import { sanitizeLine } from "@victor/terminal";
import { resolve } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { CliError } from "../../errors.js";
import { dbPathFor } from "../../store.js";
import { parseCount } from "../../parse-count.js";
import { type GlobalArgs, withReadStore } from "./shared.js";

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
    const t = args.terminal;
    const keep = args.keep === undefined ? backupsToKeepFromEnv(t.io.env) : parseCount(args.keep, "--keep");
    const dbPath = dbPathFor(args, t.io);
    const backup = await withReadStore(args, async (store) => {
      if (!store) throw new CliError(`No session database yet at ${dbPath}: nothing to back up.`);
      return (await sqliteMaintenance(store)).backupTo(args.file ? resolve(t.io.cwd, args.file) : undefined, { keep });
    });
    // Paths are the user's (or file names found in the folder): shown, never obeyed by the terminal.
    t.tell(`Backed up ${sanitizeLine(dbPath)} to ${sanitizeLine(backup.path)} (verified: integrity_check and the row count of every table).`);
    if (backup.removed.length > 0) t.tell(`Removed ${backup.removed.length} older or partial backup file(s): ${backup.removed.map(sanitizeLine).join(", ")}`);
    t.tell(`Restore it with: victor sessions restore ${sanitizeLine(backup.path)}`);
  },
};

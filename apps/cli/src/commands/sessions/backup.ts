import { resolve } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { CliError } from "../../errors.js";
import { dbPathFor } from "../../store.js";
import { type GlobalArgs, withReadStore } from "./shared.js";

export interface BackupArgs extends GlobalArgs {
  file?: string;
}

/**
 * A consistent copy made by SQLite itself and verified before its path is printed: unlike `cp`, safe
 * while another Victor is writing.
 */
export const backupCommand: CommandModule<GlobalArgs, BackupArgs> = {
  command: "backup [file]",
  describe: "Copy the session database safely (even while Victor runs) and verify the copy",
  builder: (y) => y.positional("file", { type: "string", describe: "Where to write the copy (default: next to the database, timestamped)" }) as Argv<BackupArgs>,
  handler: async (args) => {
    const destination = await withReadStore(args, async (store) => {
      if (!store) throw new CliError(`No session database yet at ${dbPathFor(args, args.terminal.io)}: nothing to back up.`);
      return store.backupTo(args.file ? resolve(args.terminal.io.cwd, args.file) : undefined);
    });
    args.terminal.say(`Backed up ${dbPathFor(args, args.terminal.io)} to ${destination} (verified with quick_check).`);
  },
};

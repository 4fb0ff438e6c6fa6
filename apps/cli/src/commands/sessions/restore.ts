import { backupsToKeepFromEnv, restoreDatabase } from "@victor/core";
import { sanitizeLine } from "@victor/terminal";
import { resolve } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { CliError } from "../../errors.js";
import { parseCount } from "../../parse-count.js";
import { describeLocation } from "../../store.js";
import { storeLocationFor } from "../../location.js";
import { plural } from "../../ui/format.js";
import { type GlobalArgs, confirmDestructive, confirmIo } from "./shared.js";

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
    const t = args.terminal;
    const keep = args.keep === undefined ? backupsToKeepFromEnv(t.io.env) : parseCount(args.keep, "--keep");
    const location = storeLocationFor(args, t.io);
    if (location.engine !== "sqlite") throw new CliError(`${describeLocation(location)} is a PostgreSQL server: restore puts back an SQLite file. Use the server's own tools (pg_restore).`);
    const dbPath = location.path;
    const file = resolve(t.io.cwd, String(args.file));
    // Paths are the user's: shown, never obeyed by the terminal.
    const [shownDb, shownFile] = [sanitizeLine(dbPath), sanitizeLine(file)];
    const ok = await confirmDestructive(
      `Replace ${shownDb} with the backup ${shownFile}? The current database is backed up first.`,
      { yes: args.yes, action: `restore ${shownFile} over ${shownDb}` },
      confirmIo(args),
    );
    if (!ok) {
      t.tell("Cancelled; nothing was changed.");
      return;
    }
    const result = await restoreDatabase(dbPath, file, { keep });
    if (result.previousBackup) t.tell(`The database as it was is in ${sanitizeLine(result.previousBackup)}.`);
    t.tell(`Restored ${shownDb} from ${shownFile} (verified: integrity_check and the row count of every table).`, t.c.green);
    const { content } = result;
    if (content.kind === "python") {
      t.tell(`It is the Python Victor's database again: ${plural(content.sessions, "session")} (${content.schemaName}). Run victor-migrate to upgrade it.`);
    } else {
      t.tell(`It holds ${plural(content.sessions, "session")}.`);
    }
  },
};

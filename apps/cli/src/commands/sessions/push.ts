import type { Argv, CommandModule } from "yargs";
import type { GlobalArgs } from "./shared.js";
import { namedIds, printReports, REMOTE_HELP, runDirection, type SyncArgs } from "./sync-run.js";
import { withSyncStores } from "./sync-stores.js";

export interface PushArgs extends SyncArgs {
  to?: string;
  share?: boolean;
}

/** `victor sessions push [ID…] [--to URL] [--share]`: this project's sessions to the server (or another store). */
export const pushCommand: CommandModule<GlobalArgs, PushArgs> = {
  command: "push [ids..]",
  describe: "Copy this project's sessions to a server (only what changed since the last push travels)",
  builder: (y) =>
    y
      .positional("ids", { type: "string", array: true, describe: "Sessions to push (ids or unique prefixes; default: every one)" })
      .option("to", { type: "string", describe: REMOTE_HELP })
      .option("share", { type: "boolean", describe: "Let the server's other users read the pushed sessions (--no-share: make them private again; default: new ones private)" })
      .option("json", { type: "boolean", describe: "Print the report as JSON" }) as unknown as Argv<PushArgs>,
  handler: async (args) => {
    const ids = namedIds(args);
    await withSyncStores(args, args.to, "--to", false, async (stores) => {
      const report = await runDirection(stores, "push", args, { ids, share: args.share });
      printReports(args, stores, { push: report });
    });
  },
};

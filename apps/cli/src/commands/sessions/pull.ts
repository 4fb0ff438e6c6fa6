import type { Argv, CommandModule } from "yargs";
import type { GlobalArgs } from "./shared.js";
import { namedIds, printReports, REMOTE_HELP, runDirection, type SyncArgs } from "./sync-run.js";
import { withSyncStores } from "./sync-stores.js";

export interface PullArgs extends SyncArgs {
  from?: string;
  "include-shared"?: boolean;
}

/** `victor sessions pull [ID…] [--from URL]`: this project's sessions from the server into the project's file. */
export const pullCommand: CommandModule<GlobalArgs, PullArgs> = {
  command: "pull [ids..]",
  describe: "Copy this project's sessions from a server into this project (only what changed since the last pull travels)",
  builder: (y) =>
    y
      .positional("ids", { type: "string", array: true, describe: "Sessions to pull (ids or unique prefixes there; default: every one of yours)" })
      .option("from", { type: "string", describe: REMOTE_HELP })
      .option("include-shared", { type: "boolean", describe: "Also the sessions others shared (default: your own; named ids are pulled whoever shared them)" })
      .option("json", { type: "boolean", describe: "Print the report as JSON" }) as unknown as Argv<PullArgs>,
  handler: async (args) => {
    const ids = namedIds(args);
    await withSyncStores(args, args.from, "--from", true, async (stores) => {
      const report = await runDirection(stores, "pull", args, { ids, includeShared: args["include-shared"] });
      printReports(args, stores, { pull: report });
    });
  },
};

import type { Argv, CommandModule } from "yargs";
import type { GlobalArgs } from "./shared.js";
import { namedIds, printReports, REMOTE_HELP, runDirection, type SyncArgs } from "./sync-run.js";
import { withSyncStores } from "./sync-stores.js";

export interface SyncCommandArgs extends SyncArgs {
  remote?: string;
  share?: boolean;
  "include-shared"?: boolean;
}

/** `victor sessions sync [ID…] [--remote URL]`: push, then pull. */
export const syncCommand: CommandModule<GlobalArgs, SyncCommandArgs> = {
  command: "sync [ids..]",
  describe: "Push, then pull: this project's sessions the same here and on the server (nothing overwritten)",
  builder: (y) =>
    y
      .positional("ids", { type: "string", array: true, describe: "Sessions to sync (default: every one)" })
      .option("remote", { type: "string", describe: REMOTE_HELP })
      .option("share", { type: "boolean", describe: "As push --share" })
      .option("include-shared", { type: "boolean", describe: "As pull --include-shared" })
      .option("json", { type: "boolean", describe: "Print both reports as JSON: { push, pull }" }) as unknown as Argv<SyncCommandArgs>,
  handler: async (args) => {
    const ids = namedIds(args);
    await withSyncStores(args, args.remote, "--remote", true, async (stores) => {
      const push = await runDirection(stores, "push", args, { ids, share: args.share });
      // Named sessions come back as what they are there (a copy may have landed under another id).
      const there = push && ids ? push.sessions.flatMap((s) => (s.targetId === null ? [] : [s.targetId])) : ids;
      const pull = there?.length === 0 ? null : await runDirection(stores, "pull", args, { ids: there, includeShared: args["include-shared"] });
      printReports(args, stores, { push, pull });
    });
  },
};

import { sqliteMaintenance } from "@victor/core";
import type { CommandModule } from "yargs";
import { CliError } from "../../errors.js";
import { dbPathFor } from "../../store.js";
import { plural } from "../../ui/format.js";
import { type GlobalArgs, withReadStore } from "./shared.js";

/** Rebuilds the search index: for messages added to the database by hand or by another tool. */
export const reindexCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: "reindex",
  describe: "Rebuild the full-text search index (after editing the database by hand)",
  handler: async (args) => {
    const indexed = await withReadStore(args, async (store) => {
      if (!store) throw new CliError(`No session database yet at ${dbPathFor(args, args.terminal.io)}: nothing to index.`);
      return (await sqliteMaintenance(store)).rebuildSearchIndex();
    });
    args.terminal.tell(`Search index rebuilt: ${plural(indexed, "message")} indexed.`);
  },
};

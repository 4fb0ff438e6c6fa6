import type { Argv, CommandModule } from "yargs";
import { backupCommand } from "./backup.js";
import { clearCommand } from "./clear.js";
import { deleteCommand } from "./delete.js";
import { exportCommand } from "./export.js";
import { forkCommand } from "./fork.js";
import { importCommand } from "./import.js";
import { listCommand } from "./list.js";
import { pathCommand } from "./path.js";
import { pullCommand } from "./pull.js";
import { pushCommand } from "./push.js";
import { reindexCommand } from "./reindex.js";
import { renameCommand } from "./rename.js";
import { restoreCommand } from "./restore.js";
import { searchCommand } from "./search.js";
import type { GlobalArgs } from "./shared.js";
import { showCommand } from "./show.js";
import { statsCommand } from "./stats.js";
import { syncCommand } from "./sync.js";
import { treeCommand } from "./tree.js";
import { uncompactCommand } from "./uncompact.js";

/** `victor sessions <command>` (also `victor session`): one module per subcommand in this folder. */
export const sessionsCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: ["sessions", "session"],
  describe: "List, search, show, export, clean up and push/pull saved sessions",
  builder: (y: Argv<GlobalArgs>) =>
    y
      .command(listCommand)
      .command(showCommand)
      .command(searchCommand)
      .command(deleteCommand)
      .command(clearCommand)
      .command(exportCommand)
      .command(importCommand)
      .command(renameCommand)
      .command(forkCommand)
      .command(treeCommand)
      .command(uncompactCommand)
      .command(statsCommand)
      .command(pathCommand)
      .command(backupCommand)
      .command(restoreCommand)
      .command(reindexCommand)
      .command(pushCommand)
      .command(pullCommand)
      .command(syncCommand)
      .demandCommand(1, "Name a sessions command: list, show, search, delete, clear, export, import, rename, fork, tree, uncompact, stats, path, backup, restore, reindex, push, pull, sync"),
  handler: () => undefined,
};

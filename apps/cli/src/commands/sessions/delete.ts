import { SessionNotFoundError } from "@victor/core";
import { sanitizeLine } from "@victor/terminal";
import type { Argv, CommandModule } from "yargs";
import { plural } from "../../ui/format.js";
import { type GlobalArgs, checkId, confirmDestructive, confirmIo, withReadStore, withWriteStore } from "./shared.js";

export interface DeleteArgs extends GlobalArgs {
  id: string;
  yes?: boolean;
}

export const deleteCommand: CommandModule<GlobalArgs, DeleteArgs> = {
  command: ["delete <id>", "rm"],
  describe: "Delete one session (asks first unless --yes)",
  builder: (y) =>
    y
      .positional("id", { type: "string", describe: "Session id or a unique prefix of one", demandOption: true })
      .option("yes", { alias: "y", type: "boolean", describe: "Do not ask for confirmation" }) as Argv<DeleteArgs>,
  handler: async (args) => {
    const id = checkId(args.id);
    // Resolve first (read-only): an unknown id is "not found" and creates no database.
    const summary = await withReadStore(args, async (store) => {
      if (!store) throw new SessionNotFoundError(id);
      return store.getSummary(id);
    });
    const title = sanitizeLine(summary.title);
    const ok = await confirmDestructive(`Delete session ${summary.id} ("${title}", ${plural(summary.messageCount, "message")})?`, { yes: args.yes, action: `delete session ${summary.id}` }, confirmIo(args));
    const t = args.terminal;
    if (!ok) {
      t.tell("Cancelled; nothing was deleted.");
      return;
    }
    // The exact id that was shown, never the prefix again: a session saved meanwhile is not touched.
    const deleted = await withWriteStore(args, (store) => store.deleteSession(summary.id));
    if (!deleted) throw new SessionNotFoundError(summary.id);
    t.tell(`${t.c.green("Deleted")} session ${summary.id} (${title}).`);
  },
};

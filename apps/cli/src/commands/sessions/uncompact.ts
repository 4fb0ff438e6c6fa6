import { SessionNotFoundError } from "@victor/core";
import type { Argv, CommandModule } from "yargs";
import { formatTimestamp, plural } from "../../ui/format.js";
import { describeChange } from "../../ui/history-views.js";
import { type GlobalArgs, checkId, withReadStore, withWriteStore } from "./shared.js";

export interface UncompactArgs extends GlobalArgs {
  id: string;
  json?: boolean;
}

export const uncompactCommand: CommandModule<GlobalArgs, UncompactArgs> = {
  command: "uncompact <id>",
  describe: "Undo a session's last compaction (or rewind): its previous context comes back; nothing is deleted",
  builder: (y) =>
    y
      .positional("id", { type: "string", describe: "Session id or a unique prefix of one", demandOption: true })
      .option("json", { type: "boolean", describe: "Print the outcome as JSON" }) as unknown as Argv<UncompactArgs>,
  handler: async (args) => {
    const id = checkId(args.id);
    // Check existence read-only first so an unknown id never creates a database.
    await withReadStore(args, async (store) => {
      if (!store) throw new SessionNotFoundError(id);
      await store.resolveSessionId(id);
    });
    const result = await withWriteStore(args, (store) => store.undoContextChange(id));
    const t = args.terminal;
    if (args.json) {
      return t.printJson({
        session_id: result.sessionId,
        revision: result.revision,
        undone: { epoch: result.undone.epoch, kind: result.undone.kind, at: result.undone.at },
        restored: result.restored,
        retracted: result.retracted,
        message_count: result.messageCount,
      });
    }
    t.tell(
      `${t.c.green("Undid")} ${describeChange(result.undone)} of ${formatTimestamp(result.undone.at)} in ${result.sessionId}: ` +
        `${plural(result.restored, "message")} back in the context, ${plural(result.retracted, "message")} out of it (kept, see show --all); ${plural(result.messageCount, "message")} now.`,
    );
  },
};

import { SessionNotFoundError } from "@victor/core";
import type { Argv, CommandModule } from "yargs";
import { renderPanel } from "@victor/terminal";
import { toJsonFork } from "./json-vocabulary.js";
import { type GlobalArgs, checkId, withReadStore, withWriteStore } from "./shared.js";
import { titleFrom } from "./rename.js";
import { parseCount } from "../../parse-count.js";

export interface ForkArgs extends GlobalArgs {
  id: string;
  title?: string;
  at?: number;
  json?: boolean;
}

export const forkCommand: CommandModule<GlobalArgs, ForkArgs> = {
  command: "fork <id>",
  describe: "Copy a session under a new id, whole or up to message N (to try another direction without losing the original)",
  builder: (y) =>
    y
      .positional("id", { type: "string", describe: "Session id or a unique prefix of one", demandOption: true })
      .option("title", { alias: "t", type: "string", describe: "Title of the copy" })
      .option("at", { type: "number", describe: "Copy messages 1 to N of the context, as `show` numbers them (default: all)" })
      .option("json", { type: "boolean", describe: "Print the outcome as JSON" }) as unknown as Argv<ForkArgs>,
  handler: async (args) => {
    const id = checkId(args.id);
    const title = args.title === undefined ? undefined : titleFrom([args.title]);
    const at = args.at === undefined ? undefined : parseCount(args.at, "--at");
    const source = await withReadStore(args, async (store) => {
      if (!store) throw new SessionNotFoundError(id);
      return store.resolveSessionId(id);
    });
    const result = await withWriteStore(args, async (store) => {
      const saved = await store.forkSession(source, { title, at });
      return { ...saved, parentId: source, dbPath: store.dbPath };
    });
    const t = args.terminal;
    if (args.json) return t.printJson(toJsonFork(result));
    t.say(
      renderPanel(
        t.c,
        "Session Forked",
        [
          ["From", at === undefined ? result.parentId : `${result.parentId} at message ${at}`],
          ["New ID", result.sessionId],
          ["Title", result.title],
          ["Messages", String(result.messageCount)],
          ["Database", result.dbPath],
        ],
        { footer: `Resume: victor chat --resume ${result.sessionId}`, width: t.width() },
      ),
    );
  },
};

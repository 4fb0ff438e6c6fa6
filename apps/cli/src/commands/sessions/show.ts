import { SessionNotFoundError } from "@victor/core";
import type { Argv, CommandModule } from "yargs";
import { renderConversation, renderSessionPanel } from "../../ui/transcript.js";
import { type GlobalArgs, checkId, withReadStore } from "./shared.js";

export interface ShowArgs extends GlobalArgs {
  id: string;
  json?: boolean;
  all?: boolean;
}

export const showCommand: CommandModule<GlobalArgs, ShowArgs> = {
  command: "show <id>",
  describe: "Show a session: its details and the conversation (--all: with every message outside the model's context)",
  builder: (y) =>
    y
      .positional("id", { type: "string", describe: "Session id or a unique prefix of one", demandOption: true })
      .option("all", { type: "boolean", describe: "Also the messages outside the context (compacted, rewound, replaced), each marked" })
      .option("json", { type: "boolean", describe: "Print the session envelope as JSON (the context; with --all also context_history)" }) as Argv<ShowArgs>,
  handler: async (args) => {
    const id = checkId(args.id);
    const t = args.terminal;
    const { session, parentExists } = await withReadStore(args, async (store) => {
      if (!store) throw new SessionNotFoundError(id);
      // Read with its history unless JSON without --all asks for the context alone (what older readers expect).
      const session = await store.getSession(id, { all: args.all === true || !args.json });
      const parent = session.metadata.parent_id;
      return { session, parentExists: parent ? await store.hasSession(parent) : true };
    });
    if (args.json) return t.printJson(session);
    t.say(renderSessionPanel(t.c, session, t.width(), { parentExists }));
    t.say();
    t.say(renderConversation(t.c, session, { all: args.all === true, width: t.width() }));
  },
};

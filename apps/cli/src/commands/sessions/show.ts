import { SessionNotFoundError } from "@victor/core";
import type { Argv, CommandModule } from "yargs";
import { renderConversation, renderSessionPanel } from "../../ui/transcript.js";
import { type GlobalArgs, checkId, withReadStore } from "./shared.js";

export interface ShowArgs extends GlobalArgs {
  id: string;
  json?: boolean;
}

export const showCommand: CommandModule<GlobalArgs, ShowArgs> = {
  command: "show <id>",
  describe: "Show a session: its details and the whole conversation",
  builder: (y) =>
    y
      .positional("id", { type: "string", describe: "Session id or a unique prefix of one", demandOption: true })
      .option("json", { type: "boolean", describe: "Print the full session envelope as JSON" }) as Argv<ShowArgs>,
  handler: async (args) => {
    const id = checkId(args.id);
    const session = await withReadStore(args, async (store) => {
      if (!store) throw new SessionNotFoundError(id);
      return store.getSession(id);
    });
    const t = args.terminal;
    if (args.json) return t.printJson(session);
    t.say(renderSessionPanel(t.c, session, t.width()));
    t.say();
    t.say(renderConversation(t.c, session));
  },
};

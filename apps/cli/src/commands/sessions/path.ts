import type { CommandModule } from "yargs";
import { dbPathFor } from "../../store.js";
import type { GlobalArgs } from "./shared.js";

export const pathCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: "path",
  describe: "Print the path of the session database this project uses",
  handler: (args) => args.terminal.say(dbPathFor(args, args.terminal.io)),
};

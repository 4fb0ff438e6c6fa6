import type { CommandModule } from "yargs";

// Placeholder: the sessions subcommands are being built in this folder.
export const sessionsCommand: CommandModule = {
  command: ["sessions <command>", "session"],
  describe: "List, search, show, export and clean up saved sessions",
  builder: (y) => y,
  handler: () => undefined,
};

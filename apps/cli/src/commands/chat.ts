import type { CommandModule } from "yargs";

// Placeholder: the chat REPL is being built (apps/cli/src/repl, slash, providers).
export const chatCommand: CommandModule = {
  command: "chat [message]",
  describe: "Chat with a model; save, resume and manage sessions with slash commands",
  handler: () => {
    throw new Error("victor chat is not built yet");
  },
};

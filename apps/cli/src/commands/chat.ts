import type { Argv, CommandModule } from "yargs";
import type { GlobalArgs } from "./sessions/shared.js";

interface ChatArgs extends GlobalArgs {
  message?: string;
  provider?: string;
  model?: string;
  profile?: string;
  resume?: string;
  "base-url"?: string;
  autosave?: boolean;
}

// Kept light: `victor sessions …` loads this module too, so the REPL and the AI SDK load only in the handler.
export const chatCommand: CommandModule<GlobalArgs, ChatArgs> = {
  command: "chat [message]",
  describe: "Chat with a model; save, resume and manage sessions with slash commands",
  builder: (yargs) =>
    yargs
      .positional("message", { type: "string", describe: "A first message to send" })
      .option("provider", { type: "string", describe: "anthropic, openai, ollama or openai-compatible (default: VICTOR_PROVIDER, else ollama)" })
      .option("model", { type: "string", describe: "Model name (default: VICTOR_MODEL, else qwen2.5-coder:7b)" })
      .option("profile", { type: "string", describe: "Profile name stored with saved sessions", default: undefined })
      .option("resume", { type: "string", describe: "Resume a saved session (id or prefix; no value = the most recent)" })
      .option("base-url", { type: "string", describe: "Server URL for openai-compatible (or VICTOR_BASE_URL); saved with the session" })
      .option("autosave", { type: "boolean", describe: "Save the conversation after every reply (or VICTOR_AUTOSAVE=1)" }) as Argv<ChatArgs>,
  handler: async (args) => {
    const { runChat } = await import("../repl/run-chat.js");
    await runChat(
      {
        message: args.message,
        provider: args.provider,
        model: args.model,
        profile: args.profile,
        resume: args.resume,
        baseUrl: args["base-url"],
        autosave: args.autosave,
        db: args.db,
        project: args.project,
        debug: args.debug,
      },
      args.terminal,
    );
  },
};

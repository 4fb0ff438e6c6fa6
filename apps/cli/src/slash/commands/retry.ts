import { CliError } from "../../errors.js";
import type { SlashCommand } from "../types.js";

export const retryCommand: SlashCommand = {
  name: "retry",
  aliases: [],
  description: "Send again the message whose reply failed or was stopped",
  usage: "/retry",
  async run(ctx) {
    const text = ctx.state.unanswered;
    if (text === null) throw new CliError("Nothing to retry: every message so far got its reply.");
    return { type: "retry", text };
  },
};

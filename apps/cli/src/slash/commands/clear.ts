import type { SlashCommand } from "../types.js";

export const clearCommand: SlashCommand = {
  name: "clear",
  aliases: [],
  description: "Start a new empty conversation (no active session)",
  usage: "/clear",
  async run(ctx) {
    if (ctx.state.hasUnsavedMessages) ctx.warn("Note: the previous conversation had unsaved messages; they were discarded.");
    ctx.state.reset();
    ctx.print("Started a new conversation.");
  },
};

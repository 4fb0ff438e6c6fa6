import type { SlashCommand } from "../types.js";

export const exitCommand: SlashCommand = {
  name: "exit",
  aliases: ["quit"],
  description: "Leave victor chat (asks about unsaved messages on a terminal)",
  usage: "/exit",
  async run() {
    return { type: "exit" };
  },
};

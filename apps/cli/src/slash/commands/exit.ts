import type { SlashCommand } from "../types.js";

export const exitCommand: SlashCommand = {
  name: "exit",
  aliases: ["quit"],
  description: "Leave victor chat",
  usage: "/exit",
  async run() {
    return "exit";
  },
};

import { UsageError } from "../../errors.js";
import type { SlashCommand } from "../types.js";

export const autosaveCommand: SlashCommand = {
  name: "autosave",
  aliases: [],
  description: "Save after every reply: /autosave on|off (start with --autosave or VICTOR_AUTOSAVE=1)",
  usage: "/autosave [on|off]",
  async run(ctx, args) {
    const [word] = args;
    if (word !== undefined && word !== "on" && word !== "off") throw new UsageError("Usage: /autosave [on|off]");
    if (word !== undefined) ctx.state.setAutosave(word === "on");
    ctx.tell(`Autosave is ${ctx.state.autosave ? "on: the conversation is saved after every reply" : "off: /save keeps the conversation"}.`);
  },
};

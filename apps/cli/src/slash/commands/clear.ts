import { DISCARDED_NOTE, settleUnsaved } from "../unsaved.js";
import type { SlashCommand } from "../types.js";

export const clearCommand: SlashCommand = {
  name: "clear",
  aliases: [],
  description: "Start a new empty conversation (no active session)",
  usage: "/clear",
  async run(ctx) {
    if (!(await settleUnsaved(ctx, "starting a new conversation", DISCARDED_NOTE))) return;
    ctx.state.reset();
    ctx.print("Started a new conversation.");
  },
};

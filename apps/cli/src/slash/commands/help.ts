import type { SlashCommand } from "../types.js";

export const helpCommand: SlashCommand = {
  name: "help",
  aliases: ["?"],
  description: "List the slash commands",
  usage: "/help",
  async run(ctx) {
    const width = Math.max(...ctx.commands.map((c) => c.usage.length));
    ctx.print("Slash commands:");
    for (const command of ctx.commands) {
      const aliases = command.aliases.length ? ctx.c.dim(` (also ${command.aliases.map((a) => `/${a}`).join(", ")})`) : "";
      ctx.print(`  ${command.usage.padEnd(width)}  ${command.description}${aliases}`);
    }
    ctx.print("Anything else is sent to the model. Ctrl-C stops a reply; Ctrl-D or /exit leaves.");
  },
};

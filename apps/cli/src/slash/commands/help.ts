import { displayWidth, padToWidth, wrapToWidth } from "@victor/terminal";
import type { SlashCommand } from "../types.js";

/** Descriptions narrower than this go under their usage instead of beside it. */
const MIN_DESCRIPTION_WIDTH = 24;

export const helpCommand: SlashCommand = {
  name: "help",
  aliases: ["?"],
  description: "List the slash commands",
  usage: "/help",
  async run(ctx) {
    const width = ctx.width();
    const usageWidth = Math.max(...ctx.commands.map((c) => displayWidth(c.usage)));
    const sideBySide = width === undefined || width - (usageWidth + 4) >= MIN_DESCRIPTION_WIDTH;
    const lines = ["Slash commands:"];
    for (const command of ctx.commands) {
      const aliases = command.aliases.length ? ` (also ${command.aliases.map((a) => `/${a}`).join(", ")})` : "";
      const text = `${command.description}${aliases}`;
      if (sideBySide) {
        const indent = usageWidth + 4;
        const [first = "", ...more] = wrapToWidth(text, width === undefined ? undefined : width - indent);
        lines.push(`  ${padToWidth(command.usage, usageWidth)}  ${first}`, ...more.map((l) => `${" ".repeat(indent)}${l}`));
      } else {
        lines.push(...wrapToWidth(command.usage, width! - 2).map((l) => `  ${l}`), ...wrapToWidth(text, width! - 6).map((l) => `      ${ctx.c.dim(l)}`));
      }
    }
    lines.push(...wrapToWidth("Anything else is sent to the model. Alt-Enter (or a line ending in \\) adds a line break; a paste is one message. Ctrl-C stops a reply; Ctrl-D or /exit leaves. Tab completes.", width));
    ctx.print(lines.join("\n"));
  },
};

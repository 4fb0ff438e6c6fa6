import { UsageError } from "../errors.js";
import { clearCommand } from "./commands/clear.js";
import { compactCommand } from "./commands/compact.js";
import { exitCommand } from "./commands/exit.js";
import { exportCommand } from "./commands/export.js";
import { helpCommand } from "./commands/help.js";
import { loadCommand } from "./commands/load.js";
import { renameCommand } from "./commands/rename.js";
import { resumeCommand } from "./commands/resume.js";
import { saveCommand } from "./commands/save.js";
import { searchCommand } from "./commands/search.js";
import { sessionsCommand } from "./commands/sessions.js";
import { statusCommand } from "./commands/status.js";
import { switchCommand } from "./commands/switch.js";
import { tokenize } from "./tokenize.js";
import type { SlashCommand, SlashContext, SlashResult } from "./types.js";

export const SLASH_COMMANDS: readonly SlashCommand[] = [
  saveCommand,
  sessionsCommand,
  resumeCommand,
  switchCommand,
  compactCommand,
  loadCommand,
  searchCommand,
  renameCommand,
  statusCommand,
  exportCommand,
  clearCommand,
  helpCommand,
  exitCommand,
];

export function findCommand(name: string, commands: readonly SlashCommand[] = SLASH_COMMANDS): SlashCommand | undefined {
  const key = name.toLowerCase();
  return commands.find((c) => c.name === key || c.aliases.includes(key));
}

/** Runs one `/command args…` line. Unknown commands and bad quoting are UsageErrors. */
export async function runSlashLine(ctx: SlashContext, line: string): Promise<SlashResult> {
  const [head = "/", ...args] = tokenize(line.trim());
  const name = head.slice(1);
  const command = findCommand(name, ctx.commands);
  if (!command) throw new UsageError(`Unknown command /${name}. Type /help for the list.`);
  return command.run(ctx, args);
}

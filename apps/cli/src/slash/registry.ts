import { UsageError } from "../errors.js";
import { closest } from "../suggest.js";
import { autosaveCommand } from "./commands/autosave.js";
import { clearCommand } from "./commands/clear.js";
import { compactCommand } from "./commands/compact.js";
import { exitCommand } from "./commands/exit.js";
import { exportCommand } from "./commands/export.js";
import { forkCommand } from "./commands/fork.js";
import { helpCommand } from "./commands/help.js";
import { loadCommand } from "./commands/load.js";
import { renameCommand } from "./commands/rename.js";
import { resumeCommand } from "./commands/resume.js";
import { retryCommand } from "./commands/retry.js";
import { rewindCommand } from "./commands/rewind.js";
import { saveCommand } from "./commands/save.js";
import { searchCommand } from "./commands/search.js";
import { sessionsCommand } from "./commands/sessions.js";
import { statusCommand } from "./commands/status.js";
import { switchCommand } from "./commands/switch.js";
import { tokenize } from "./tokenize.js";
import type { SlashCommand, SlashContext, SlashOutcome } from "./types.js";

export const SLASH_COMMANDS: readonly SlashCommand[] = [
  saveCommand,
  sessionsCommand,
  resumeCommand,
  switchCommand,
  compactCommand,
  rewindCommand,
  forkCommand,
  loadCommand,
  searchCommand,
  renameCommand,
  statusCommand,
  exportCommand,
  retryCommand,
  autosaveCommand,
  clearCommand,
  helpCommand,
  exitCommand,
];

export function findCommand(name: string, commands: readonly SlashCommand[] = SLASH_COMMANDS): SlashCommand | undefined {
  const key = name.toLowerCase();
  return commands.find((c) => c.name === key || c.aliases.includes(key));
}

/** Every name a command answers to, for suggestions and completion. */
export const commandNames = (commands: readonly SlashCommand[]): string[] => commands.flatMap((c) => [c.name, ...c.aliases]);

/** Runs one `/command args…` line. Unknown commands (with a suggestion) and bad quoting are UsageErrors. */
export async function runSlashLine(ctx: SlashContext, line: string): Promise<SlashOutcome> {
  const [head = "/", ...args] = tokenize(line.trim());
  const name = head.slice(1);
  const command = findCommand(name, ctx.commands);
  if (!command) {
    const guess = closest(name, commandNames(ctx.commands));
    throw new UsageError(`Unknown command /${name}.${guess ? ` Did you mean /${guess}?` : ""} Type /help for the list.`);
  }
  return command.run(ctx, args);
}

import yargs from "yargs";
import { chatCommand } from "./commands/chat.js";
import { importCommand } from "./commands/import.js";
import { sessionsCommand } from "./commands/sessions/index.js";
import { UsageError, exitCodeOf } from "./errors.js";
import { colors } from "./ui/colors.js";

/** Builds the yargs parser. Exported for tests of the argument parsing. */
export function buildParser(argv: string[]) {
  return yargs(argv)
    .scriptName("victor")
    .usage("$0 <command> [options]")
    .option("db", { type: "string", describe: "Session database file (default: <project>/.victor/project.db, or VICTOR_DB_PATH)", global: true })
    .option("debug", { type: "boolean", describe: "Show stack traces on errors", global: true })
    .command(chatCommand)
    .command(sessionsCommand)
    .command(importCommand)
    .demandCommand(1, "Name a command: victor chat, or victor sessions --help")
    .strict()
    .recommendCommands()
    .help()
    .alias("h", "help")
    .version()
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    });
}

/** The one top-level handler: every error becomes one line on stderr and an exit code. */
export async function main(argv: string[]): Promise<void> {
  const debug = argv.includes("--debug");
  try {
    await buildParser(argv).parseAsync();
  } catch (error) {
    const c = colors(process.stderr);
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${c.red("Error:")} ${message}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    else if (exitCodeOf(error) === 2) process.stderr.write("Run with --help for usage.\n");
    process.exitCode = exitCodeOf(error);
  }
}

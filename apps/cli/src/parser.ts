import yargs, { type Argv } from "yargs";
import { chatCommand } from "./commands/chat.js";
import { completionCommand } from "./commands/completion.js";
import { importCommand } from "./commands/import.js";
import { sessionsCommand } from "./commands/sessions/index.js";
import type { GlobalArgs } from "./commands/sessions/shared.js";
import { UsageError } from "./errors.js";
import type { Terminal } from "./io.js";
import { closest } from "./suggest.js";
import { VERSION } from "./version.js";

const TOP_COMMANDS = ["chat", "sessions", "session", "import", "completion"];
const SESSION_COMMANDS = ["list", "ls", "show", "search", "delete", "rm", "clear", "export", "import", "rename", "fork", "tree", "uncompact", "stats", "path", "backup", "restore", "reindex", "push", "pull", "sync"];

/**
 * yargs' "Did you mean x?" names no command line; ours names the word typed and the whole fix:
 * `Unknown command "sesions". Did you mean: victor sessions`.
 */
function unknownCommandMessage(argv: readonly string[], message: string): string | null {
  const words = argv.filter((a) => !a.startsWith("-"));
  const [first, second] = words;
  if (first !== undefined && !TOP_COMMANDS.includes(first)) {
    const guess = closest(first, TOP_COMMANDS);
    return `Unknown command "${first}".${guess ? ` Did you mean: victor ${guess}` : " Commands: victor chat, victor sessions, victor import, victor completion"}`;
  }
  if ((first === "sessions" || first === "session") && second !== undefined && !SESSION_COMMANDS.includes(second) && /Did you mean|Unknown argument/.test(message)) {
    const guess = closest(second, SESSION_COMMANDS);
    return `Unknown command "${second}".${guess ? ` Did you mean: victor sessions ${guess}` : " See victor sessions --help"}`;
  }
  return null;
}

/** Builds the yargs parser: one CommandModule per file; every handler gets the terminal in its args. */
function buildParser(terminal: Terminal, argv: readonly string[]): Argv<GlobalArgs> {
  // The terminal reaches every handler through parseAsync's context (see main), not as an option.
  const base = yargs()
    .scriptName("victor")
    .usage("$0 <command> [options]")
    .option("db", {
      type: "string",
      describe: "Session database: a file (default: VICTOR_DB_PATH, else <project>/.victor/project.db) or a PostgreSQL server, postgres://USER@HOST/DB (or VICTOR_DB_URL)",
      global: true,
    })
    .option("project", {
      type: "string",
      describe: "The project's name on a PostgreSQL server (default: its git remote, else VICTOR_PROJECT, else \"project\" in .victor/config.json)",
      global: true,
    })
    .option("debug", { type: "boolean", describe: "Show stack traces on errors", global: true }) as unknown as Argv<GlobalArgs>;
  return base
    .command(chatCommand)
    .command(sessionsCommand)
    .command(importCommand)
    .command(completionCommand)
    .demandCommand(1, "Name a command: victor chat, or victor sessions --help")
    .strict()
    .recommendCommands()
    .help()
    .alias("h", "help")
    .version(VERSION)
    .exitProcess(false)
    .wrap(Math.min(100, terminal.width() ?? 100))
    .fail((message, error) => {
      if (error) throw error;
      throw new UsageError(unknownCommandMessage(argv, message ?? "") ?? message ?? "Invalid command line.");
    });
}

/**
 * Runs the command line through yargs; returns what yargs hands back instead of printing (--help,
 * --version, its completion answers), or "".
 */
export async function runParser(terminal: Terminal, argv: readonly string[]): Promise<string> {
  let builtin = "";
  await buildParser(terminal, argv).parseAsync([...argv], { terminal }, (_error, _args, output) => {
    builtin = output;
  });
  return builtin;
}

import { listCommand } from "./commands/sessions/list.js";
import type { CliIo, Terminal } from "./io.js";
import { storeLocationFor } from "./location.js";

/**
 * The commands run most (`victor sessions list`, the shell's first look at the store) without yargs:
 * yargs and the tree of every command module cost a cold start more than the command itself. Only a
 * plain command line is taken here — the command words and the command's own flags in their usual
 * forms (`--limit 5`, `--limit=5`, `-n 5`, `--all`, `--json`, `--db PATH`, `--debug`), each once;
 * anything else (help, a typo, an unknown or repeated flag, a value yargs would reject) goes to yargs,
 * which gives the same result or the usual error. The handler is the command module's own, so both
 * ways run the same code with the same arguments. Only an SQLite store is read this way: a server's
 * (a postgres:// --db or VICTOR_DB_URL) costs a connection, next to which yargs does not count.
 */

type FlagType = "boolean" | "count" | "string";

interface DirectCommand {
  words: readonly (readonly string[])[];
  flags: Record<string, { alias?: string; type: FlagType }>;
  run(args: Record<string, unknown>, terminal: Terminal): Promise<void>;
}

/** Every command's global options (main's yargs parser declares the same). */
const GLOBAL_FLAGS: DirectCommand["flags"] = { db: { type: "string" }, debug: { type: "boolean" } };

const DIRECT_COMMANDS: DirectCommand[] = [
  {
    words: [["sessions", "session"], ["list", "ls"]],
    flags: { limit: { alias: "n", type: "count" }, all: { alias: "a", type: "boolean" }, json: { type: "boolean" } },
    // Imported statically: a dynamic import would cost a cold start several more module files.
    run: async (args, terminal) => {
      await listCommand.handler({ ...args, terminal, _: ["sessions", "list"], $0: "victor" });
    },
  },
];

/** The flags of a plain command line, or null when yargs should read it. */
function plainArgs(argv: readonly string[], command: DirectCommand): Record<string, unknown> | null {
  const flags = { ...GLOBAL_FLAGS, ...command.flags };
  const words: string[] = [];
  const args: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("-")) {
      words.push(arg);
      continue;
    }
    const match = /^(--?)([a-z]+)(?:=(.*))?$/.exec(arg);
    if (!match) return null;
    const [, dashes, key, inline] = match;
    const name = dashes === "--" ? key! : Object.keys(flags).find((f) => flags[f]!.alias === key);
    const flag = name === undefined ? undefined : flags[name];
    if (name === undefined || flag === undefined || name in args) return null;
    if (flag.type === "boolean") {
      if (inline !== undefined) return null;
      args[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value === "" || value.startsWith("-")) return null;
    if (flag.type === "count" && !/^\d+$/.test(value)) return null;
    args[name] = flag.type === "count" ? Number(value) : value;
  }
  if (words.length !== command.words.length || !command.words.every((choices, i) => choices.includes(words[i]!))) return null;
  return args;
}

/** The run of a plain command line of a command listed here, or null (yargs reads the line). */
export function directCommand(argv: readonly string[], io: Pick<CliIo, "cwd" | "env">): ((terminal: Terminal) => Promise<void>) | null {
  for (const command of DIRECT_COMMANDS) {
    const args = plainArgs(argv, command);
    if (!args) continue;
    if (storeLocationFor({ db: args.db as string | undefined }, io).engine !== "sqlite") return null;
    return (terminal) => command.run(args, terminal);
  }
  return null;
}

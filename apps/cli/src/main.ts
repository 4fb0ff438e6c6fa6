import { OutputClosedError, OutputFailedError, sanitizeText } from "@victor/terminal";
import { directCommand } from "./direct.js";
import { processIo, Terminal, type CliIo } from "./io.js";

/** How the scripts of `victor completion` ask for candidates (the words of the line follow). */
const COMPLETION_REQUEST = "--complete";

/**
 * The one top-level handler of `victor`: runs the command line and returns the exit status. Every
 * error becomes one line on stderr (a stack trace only with --debug); a reader that closed our
 * output (`| head`) ends the run quietly with status 0; a failed write to stdout is one line, status 1.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const terminal = new Terminal(io);
  const debug = argv.includes("--debug");
  let code = 0;
  try {
    if (argv[0] === COMPLETION_REQUEST) {
      // The shell's Tab (see `victor completion`): answer with candidates, never run a command.
      const { completeLine } = await import("./completion/shell-completion.js");
      const candidates = await completeLine(argv.slice(1), terminal);
      if (candidates.length > 0) terminal.say(candidates.join("\n"));
      return 0;
    }
    const direct = directCommand(argv, io);
    if (direct) await direct(terminal);
    else {
      // yargs and every command module load only here: the commands `direct` runs never need them.
      const { runParser } = await import("./parser.js");
      const builtin = await runParser(terminal, argv);
      // --help, --version and completion answers, which yargs hands back instead of printing.
      if (builtin) terminal.say(builtin);
    }
  } catch (error) {
    code = await report(terminal, error, debug);
    if (error instanceof OutputFailedError) return code;
  }
  if (code === 0) code = terminal.exitCode;
  await terminal.out.flush();
  if (terminal.out.state === "closed") return code;
  if (terminal.out.error) {
    terminal.error(terminal.out.error.message);
    return 1;
  }
  return code;
}

async function report(terminal: Terminal, error: unknown, debug: boolean): Promise<number> {
  if (error instanceof OutputClosedError) return 0;
  // Loaded on failure only: the error classes come with @victor/core's main entry, which a cold
  // `victor sessions list` does not load.
  const { exitCodeOf, isExpectedError } = await import("./errors.js");
  terminal.error(error instanceof Error ? error.message : String(error));
  // The stack's first line is the message, which can quote a typed path or a file's content.
  if (debug && error instanceof Error && error.stack) terminal.writeErr(`${sanitizeText(error.stack)}\n`);
  else if (exitCodeOf(error) === 2) terminal.writeErr("Run with --help for usage.\n");
  else if (!isExpectedError(error) && error instanceof Error) terminal.writeErr("Run again with --debug for the details.\n");
  return exitCodeOf(error);
}

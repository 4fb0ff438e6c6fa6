import { Output, colorsFor, sanitizeText, stringifyJson, terminalWidth, wrapToWidth, type Colors, type WritableTerminal } from "@victor/terminal";

/**
 * Everything a run of `victor` touches outside itself. The binary passes the process's; tests pass
 * their own streams, environment and folder and run the CLI in-process.
 */
export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  stdout: WritableTerminal;
  stderr: WritableTerminal;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIo(): CliIo {
  return {
    // Read when a command reads input: creating process.stdin costs a cold start a stream (and for a
    // pipe, Node's net module) that most commands never use.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  };
}

/**
 * The CLI's side of the terminal: guarded output streams (a closed pipe or a failed write is handled
 * once, in main), the colour policy applied to each, and the width to fit (undefined for a pipe).
 */
export class Terminal {
  readonly out: Output;
  readonly err: Output;
  /** Colours for stdout and for stderr (each stream decides for itself: `victor … 2>log`). */
  readonly c: Colors;
  readonly cErr: Colors;

  /** Set by a command that finished but did not fully succeed (a piped chat whose reply failed). */
  exitCode = 0;

  constructor(readonly io: CliIo) {
    this.out = new Output(io.stdout, "standard output");
    this.err = new Output(io.stderr, "standard error");
    this.c = colorsFor(io.stdout, io.env);
    this.cErr = colorsFor(io.stderr, io.env);
  }

  /** Columns of the terminal stdout is, read at each use (it can be resized); undefined for a pipe. */
  width(): number | undefined {
    return terminalWidth(this.io.stdout);
  }

  /** One line (or block) of human output on stdout. */
  say(text = ""): void {
    this.out.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  /**
   * A sentence or two of ordinary output (a result, a question's answer), wrapped at word boundaries
   * to the terminal's width (then each line painted); a pipe gets it as it is. Stored text in it is
   * sanitised by the caller.
   */
  tell(text: string, paint: (line: string) => string = (line) => line): void {
    this.say(wrapToWidth(text, this.width()).map(paint).join("\n"));
  }

  /** A hint in the margin (dim), wrapped to the terminal's width. */
  note(text: string): void {
    this.say(wrapToWidth(sanitizeText(text), this.width()).map((line) => this.c.dim(line)).join("\n"));
  }

  /** Valid JSON on stdout and nothing else: stored text exactly as stored. */
  printJson(value: unknown): void {
    this.out.write(`${stringifyJson(value, 2)}\n`);
  }

  /**
   * A warning on stderr. Never throws: losing stderr must not hide the outcome. Messages can quote
   * what the user or a file supplied (a file name, a typed command), so they are sanitised too.
   */
  warn(text: string): void {
    this.writeErr(`${this.fitErr(sanitizeText(text)).map((line) => this.cErr.yellow(line)).join("\n")}\n`);
  }

  /** One error line on stderr (on a terminal, wrapped at word boundaries to its width). */
  error(text: string): void {
    const [first = "", ...rest] = this.fitErr(`Error: ${sanitizeText(text)}`);
    this.writeErr(`${[first.replace(/^Error:/, this.cErr.red("Error:")), ...rest].join("\n")}\n`);
  }

  private fitErr(text: string): string[] {
    const width = terminalWidth(this.io.stderr);
    return width === undefined ? [text] : wrapToWidth(text, width);
  }

  writeErr(text: string): void {
    if (this.err.state === "open") this.err.write(text);
  }
}

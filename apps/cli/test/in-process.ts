import type { RunResult } from "@victor/test-utils";
import { PassThrough, Readable, Writable } from "node:stream";
import { main } from "../src/main.js";

export interface CliRunOptions {
  cwd: string;
  /** The whole environment of the run (NO_COLOR is set unless given). */
  env?: Record<string, string>;
  /** Text on stdin; with `tty` the stdin is a terminal (for questions). */
  input?: string;
  /** Make stdout (and stdin) a terminal of this many columns; `stderr`: stderr too (questions and errors fit it). */
  tty?: { columns: number; stderr?: boolean };
}

/** A stdout/stderr that collects what is written, optionally claiming to be a terminal. */
function capture(tty: CliRunOptions["tty"]): Writable & { text: string; isTTY?: boolean; columns?: number } {
  const sink = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        sink.text += chunk.toString();
        callback();
      },
    }),
    { text: "" },
  );
  return tty ? Object.assign(sink, { isTTY: true, columns: tty.columns }) : sink;
}

/**
 * Runs `victor …args` in this process through main(argv, io): the same code path as the binary
 * without the cost of a Node start-up, so most CLI tests run in milliseconds.
 */
export async function runCli(args: readonly string[], options: CliRunOptions): Promise<RunResult> {
  const stdout = capture(options.tty);
  const stderr = capture(options.tty?.stderr ? options.tty : undefined);
  const stdin = options.tty
    ? Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined })
    : Readable.from(options.input === undefined ? [] : [options.input]);
  if (options.tty) (stdin as PassThrough).end(options.input ?? "");
  const code = await main(args, { stdin, stdout, stderr, env: { NO_COLOR: "1", ...options.env }, cwd: options.cwd });
  return { code, signal: null, stdout: stdout.text, stderr: stderr.text };
}

import { assertValidSessionId, type SessionStore } from "@victor/core";
import { createInterface } from "node:readline";
import { UsageError } from "../../errors.js";
import { openStoreForRead, openStoreForWrite, type StoreArgs } from "../../store.js";
import { colors, type Colors } from "../../ui/colors.js";

/** Arguments every sessions subcommand receives (the global options of main.ts). */
export interface GlobalArgs extends StoreArgs {
  debug?: boolean;
}

/** One line (or block) of human output on stdout. */
export function say(text = ""): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

/** Colours for stdout: only on a TTY, never with NO_COLOR. */
export const outColors = (): Colors => colors(process.stdout);

/** Valid JSON on stdout and nothing else. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Runs `fn` with the store when a database exists, `fn(null)` otherwise; never creates one. */
export async function withReadStore<T>(args: StoreArgs, fn: (store: SessionStore | null) => Promise<T>): Promise<T> {
  const store = await openStoreForRead(args);
  try {
    return await fn(store);
  } finally {
    await store?.close();
  }
}

export async function withWriteStore<T>(args: StoreArgs, fn: (store: SessionStore) => Promise<T>): Promise<T> {
  const store = await openStoreForWrite(args);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/**
 * A positive integer count from the command line (`--limit`). yargs turns `--limit abc` into NaN;
 * that, 0, negatives and fractions are usage errors.
 */
export function parseCount(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(`${flag} must be a whole number of at least 1${Number.isNaN(n) ? "" : ` (got ${n})`}.`);
  }
  return n;
}

/** A session id or prefix as typed; malformed ones fail (exit 2) before any database is touched. */
export function checkId(id: unknown): string {
  const text = String(id ?? "");
  assertValidSessionId(text);
  return text;
}

export interface ConfirmIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
}

/**
 * Asks a yes/no question for a destructive command. `--yes` skips it; without a terminal on stdin
 * there is no one to ask, so that is a usage error telling the user to pass --yes.
 */
export async function confirmDestructive(
  question: string,
  options: { yes?: boolean; action: string },
  io: ConfirmIo = { input: process.stdin, output: process.stderr },
): Promise<boolean> {
  if (options.yes) return true;
  if (io.input.isTTY !== true) {
    throw new UsageError(`Refusing to ${options.action} without confirmation: stdin is not a terminal. Pass --yes to confirm.`);
  }
  const answer = await ask(`${question} [y/N] `, io);
  return /^\s*y(es)?\s*$/i.test(answer);
}

function ask(prompt: string, io: ConfirmIo): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: io.input, output: io.output, terminal: false });
    let answered = false;
    rl.question(prompt, (answer) => {
      answered = true;
      rl.close();
      resolve(answer);
    });
    rl.on("close", () => {
      if (!answered) resolve("");
    });
  });
}

export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

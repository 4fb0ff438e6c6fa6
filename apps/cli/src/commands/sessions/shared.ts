import { assertValidSessionId, type SessionStore } from "@victor/core";
import { terminalWidth, wrapToWidth } from "@victor/terminal";
import { createInterface } from "node:readline";
import { UsageError } from "../../errors.js";
import type { Terminal } from "../../io.js";
import type { StoreArgs } from "../../location.js";
import { openStoreForRead, openStoreForWrite } from "../../store.js";

/** Arguments every sessions subcommand receives: the global options of main.ts and the terminal. */
export interface GlobalArgs extends StoreArgs {
  debug?: boolean;
  terminal: Terminal;
}

/** Runs `fn` with the store when a database exists, `fn(null)` otherwise; never creates one. */
export async function withReadStore<T>(args: GlobalArgs, fn: (store: SessionStore | null) => Promise<T>): Promise<T> {
  const store = await openStoreForRead(args, args.terminal.io);
  try {
    return await fn(store);
  } finally {
    await store?.close();
  }
}

export async function withWriteStore<T>(args: GlobalArgs, fn: (store: SessionStore) => Promise<T>): Promise<T> {
  const store = await openStoreForWrite(args, args.terminal.io);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** A session id or prefix as typed; malformed ones fail (exit 2) before any database is touched. */
export function checkId(id: unknown): string {
  const text = String(id ?? "");
  assertValidSessionId(text);
  return text;
}

export interface ConfirmIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

/**
 * Asks a yes/no question for a destructive command. `--yes` skips it; without a terminal on stdin
 * there is no one to ask, so that is a usage error telling the user to pass --yes.
 */
export async function confirmDestructive(question: string, options: { yes?: boolean; action: string }, io: ConfirmIo): Promise<boolean> {
  if (options.yes) return true;
  if (io.input.isTTY !== true) {
    throw new UsageError(`Refusing to ${options.action} without confirmation: stdin is not a terminal. Pass --yes to confirm.`);
  }
  // Wrapped to the terminal the question goes to; the answer is typed after the last line.
  const answer = await ask(`${wrapToWidth(`${question} [y/N]`, terminalWidth(io.output)).join("\n")} `, io);
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

/** The stdin/stderr pair a confirmation question uses. */
export const confirmIo = (args: GlobalArgs): ConfirmIo => ({ input: args.terminal.io.stdin, output: args.terminal.io.stderr });

import { spawn, type IPty } from "@lydell/node-pty";
import xterm from "@xterm/headless";

/** Keys as a terminal sends them. */
export const KEYS = {
  enter: "\r",
  tab: "\t",
  ctrlC: "\x03",
  ctrlD: "\x04",
  esc: "\x1b",
  up: "\x1b[A",
  down: "\x1b[B",
  altEnter: "\x1b\r",
  backspace: "\x7f",
} as const;

export interface PtySession {
  /** Sends raw bytes, as typed. */
  write(data: string): void;
  /** Sends text as one bracketed paste (what a terminal does when the program asked for it). */
  paste(text: string): void;
  /** The visible screen, one string per row, trailing spaces cut. */
  screen(): string[];
  /** Rows that are the continuation of the row above because it was longer than the terminal. */
  wrappedRows(): number[];
  /** Everything the program wrote, as received. */
  readonly output: string;
  /** Resolves with the screen once `test` holds for it (and the raw output); rejects after `timeoutMs`. */
  waitFor(test: RegExp | ((screen: string) => boolean), timeoutMs?: number): Promise<string>;
  /** Waits until the screen has not changed for `quietMs`. */
  settle(quietMs?: number): Promise<void>;
  kill(signal?: string): void;
  readonly exited: Promise<{ exitCode: number; signal?: number }>;
  readonly pid: number;
}

export interface PtyOptions {
  cwd: string;
  /** The child's environment is PATH, TERM and these: nothing leaks in from the test runner. */
  env?: Record<string, string>;
  cols: number;
  rows: number;
}

/**
 * Runs `node script args…` on a real pseudo-terminal of the given size (as changesets' e2e utils do
 * with @lydell/node-pty) and keeps a headless xterm's view of the screen, so tests can assert what a
 * person would see: the rows, which rows wrapped, the cursor's line.
 */
export function startPty(script: string, args: readonly string[], options: PtyOptions): PtySession {
  const term = new xterm.Terminal({ cols: options.cols, rows: options.rows, allowProposedApi: true, scrollback: 1000 });
  const child: IPty = spawn(process.execPath, [script, ...args], {
    name: "xterm-256color",
    cols: options.cols,
    rows: options.rows,
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", TERM: "xterm-256color", ...options.env },
  });
  let output = "";
  let pending = 0;
  let changed = Date.now();
  const listeners = new Set<() => void>();
  child.onData((data) => {
    output += data;
    pending++;
    term.write(data, () => {
      pending--;
      changed = Date.now();
      for (const listener of listeners) listener();
    });
  });
  const exited = new Promise<{ exitCode: number; signal?: number }>((resolve) => child.onExit((e) => resolve(e)));

  const rows = (): string[] => {
    const buffer = term.buffer.active;
    const lines: string[] = [];
    for (let i = buffer.baseY; i < buffer.baseY + options.rows; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? "");
    return lines;
  };
  const screenText = (): string => rows().join("\n");

  return {
    pid: child.pid,
    write: (data) => child.write(data),
    paste: (text) => child.write(`\x1b[200~${text}\x1b[201~`),
    screen: rows,
    wrappedRows: () => {
      const buffer = term.buffer.active;
      const wrapped: number[] = [];
      for (let i = 0; i < buffer.length; i++) if (buffer.getLine(i)?.isWrapped) wrapped.push(i);
      return wrapped;
    },
    get output() {
      return output;
    },
    waitFor: (test, timeoutMs = 10_000) =>
      new Promise<string>((resolve, reject) => {
        const matches = (): boolean => {
          const text = screenText();
          return typeof test === "function" ? test(text) : test.test(text);
        };
        const check = (): void => {
          if (pending === 0 && matches()) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(screenText());
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${String(test)}; screen:\n${screenText()}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
    settle: async (quietMs = 150) => {
      while (pending > 0 || Date.now() - changed < quietMs) await new Promise((resolve) => setTimeout(resolve, 25));
    },
    kill: (signal = "SIGTERM") => child.kill(signal),
    exited,
  };
}

import { spawn } from "node:child_process";

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  /** The child's whole environment is PATH + these: nothing leaks in from the test runner. */
  env?: Record<string, string>;
  input?: string;
  timeoutMs?: number;
}

export interface InteractiveNode {
  /** Writes one line to the child's stdin. */
  send(line: string): void;
  /** Writes text to the child's stdin as is. */
  write(text: string): void;
  /** Resolves once stdout+stderr (so far) match `pattern`; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Sends SIGINT, as Ctrl-C in a terminal would. */
  interrupt(): void;
  /** Closes stdin (EOF) and resolves when the child exits. */
  end(): Promise<RunResult>;
  readonly output: string;
}

/**
 * Spawns `node script args…` with a clean environment (PATH, NO_COLOR and what `env` adds: nothing
 * leaks in from the test runner) and a stdin pipe the test writes to line by line.
 */
export function startNode(script: string, args: readonly string[], options: Omit<RunOptions, "input">): InteractiveNode {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  // A child that exits without reading its input (a usage error, say) closes the pipe: not a test failure.
  child.stdin.on("error", () => undefined);
  let stdout = "";
  let stderr = "";
  const waiters = new Set<() => void>();
  const notify = (): void => waiters.forEach((w) => w());
  child.stdout.setEncoding("utf8").on("data", (d: string) => ((stdout += d), notify()));
  child.stderr.setEncoding("utf8").on("data", (d: string) => ((stderr += d), notify()));
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
  const done = new Promise<RunResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      notify();
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    get output() {
      return stdout + stderr;
    },
    send: (line) => child.stdin.write(`${line}\n`),
    write: (text) => child.stdin.write(text),
    interrupt: () => child.kill("SIGINT"),
    waitFor: (pattern, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (pattern.test(stdout + stderr)) {
            waiters.delete(check);
            clearTimeout(t);
            resolve();
          } else if (child.exitCode !== null) {
            waiters.delete(check);
            clearTimeout(t);
            reject(new Error(`process exited before output matched ${pattern}:\n${stdout}\n${stderr}`));
          }
        };
        const t = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${pattern}:\n${stdout}\n${stderr}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    end: () => {
      child.stdin.end();
      return done;
    },
  };
}

/** Runs `node script args…` with a clean environment, feeds it `input`, and collects its output. */
export function runNode(script: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const child = startNode(script, args, options);
  child.write(options.input ?? "");
  return child.end();
}

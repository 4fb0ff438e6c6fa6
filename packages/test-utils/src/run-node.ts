import { startNode } from "./interactive-node.js";

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

/** Runs `node script args…` with a clean environment, feeds it `input`, and collects its output. */
export function runNode(script: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const child = startNode(script, args, options);
  child.write(options.input ?? "");
  return child.end();
}

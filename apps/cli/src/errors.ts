import { VictorError } from "@victor/core";

/** Malformed command line: bad flag, missing argument, a destructive command with no way to confirm. */
export class UsageError extends VictorError {
  constructor(message: string) {
    super(message, { exitCode: 2 });
  }
}

/** A failure with a message meant for the user, exit code 1. */
export class CliError extends VictorError {}

export function exitCodeOf(error: unknown): number {
  return error instanceof VictorError ? error.exitCode : 1;
}

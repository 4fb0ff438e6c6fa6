import { VictorError } from "@victor/core";
import { OutputFailedError, UsageError } from "@victor/terminal";

export { UsageError };

/** A failure with a message meant for the user, exit code 1. */
export class CliError extends VictorError {}

export function exitCodeOf(error: unknown): number {
  if (error instanceof VictorError || error instanceof UsageError) return error.exitCode;
  return 1;
}

/** Errors whose message is the whole story: no stack trace, even with --debug. */
export function isExpectedError(error: unknown): boolean {
  return error instanceof VictorError || error instanceof UsageError || error instanceof OutputFailedError;
}

/**
 * The command line was malformed: a bad flag or value, a missing argument, a destructive command
 * with no way to confirm it. Exit status 2 in every Victor program; the message says what to type.
 */
export class UsageError extends Error {
  readonly exitCode = 2;

  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

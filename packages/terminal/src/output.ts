/** The reader of our output went away (`victor … | head`): end quietly with status 0, as git and ripgrep do. */
export class OutputClosedError extends Error {
  constructor() {
    super("the output was closed by its reader");
    this.name = "OutputClosedError";
  }
}

/** Writing our output failed for another reason (a full disk, an I/O error): one line, status 1. */
export class OutputFailedError extends Error {
  constructor(
    readonly streamName: string,
    override readonly cause: NodeJS.ErrnoException,
  ) {
    super(`cannot write to ${streamName}: ${describeWriteError(cause)}`);
    this.name = "OutputFailedError";
  }
}

function describeWriteError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "ENOSPC":
      return "no space left on the device";
    case "EIO":
      return "input/output error (the terminal may have closed)";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    default:
      return error.message;
  }
}

export type WritableTerminal = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

const isClosedPipe = (error: NodeJS.ErrnoException): boolean => error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED";

/**
 * Every write of a program to one stream (stdout, stderr) goes through here, so a closed pipe or a
 * failed write is handled in one place: the stream's errors never surface as an uncaught exception;
 * the next write after one throws OutputClosedError / OutputFailedError, which the program's
 * top-level handler turns into a quiet exit 0 or one error line and exit 1.
 */
export class Output {
  private closed = false;
  private failure: OutputFailedError | null = null;

  constructor(
    readonly stream: WritableTerminal,
    readonly name = "standard output",
  ) {
    stream.on("error", (error: NodeJS.ErrnoException) => this.fail(error));
  }

  private fail(error: NodeJS.ErrnoException): void {
    if (isClosedPipe(error)) this.closed = true;
    else this.failure ??= new OutputFailedError(this.name, error);
  }

  get isTTY(): boolean {
    return (this.stream as { isTTY?: boolean }).isTTY === true;
  }

  get columns(): number | undefined {
    return (this.stream as { columns?: number }).columns;
  }

  /** Throws if an earlier write failed or the reader left. */
  check(): void {
    if (this.closed) throw new OutputClosedError();
    if (this.failure) throw this.failure;
  }

  get state(): "open" | "closed" | "failed" {
    return this.closed ? "closed" : this.failure ? "failed" : "open";
  }

  get error(): OutputFailedError | null {
    return this.failure;
  }

  write(text: string): void {
    this.check();
    try {
      this.stream.write(text);
    } catch (error) {
      this.fail(error as NodeJS.ErrnoException);
      this.check();
    }
  }

  /** Writes a chunk, waiting while the stream's buffer is full (backpressure) — or until it fails. */
  async writeChunk(text: string): Promise<void> {
    this.check();
    if (this.stream.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.stream.off("drain", done);
        this.stream.off("error", done);
        this.stream.off("close", done);
        resolve();
      };
      this.stream.on("drain", done);
      this.stream.on("error", done);
      this.stream.on("close", done);
    });
    this.check();
  }

  /** Resolves once everything written so far has been handed to the system; errors are then known. */
  async flush(): Promise<void> {
    if (this.state !== "open") return;
    await new Promise<void>((resolve) => {
      try {
        this.stream.write("", () => resolve());
      } catch {
        resolve();
      }
    });
    // A failed write reports through 'error' in the same turn as its callback.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

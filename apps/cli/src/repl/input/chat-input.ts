/**
 * Where the chat's input comes from: a person at a terminal (prompt, line editing, paste, history,
 * completion) or a pipe (each line is one input, in order; end of input is null, so no read ever
 * blocks forever).
 */
export interface ChatInput {
  readonly interactive: boolean;
  /**
   * The next message or command; a line ending in `\` continues on the next line (the way to type a
   * newline anywhere). null at the end of input (Ctrl-D, end of the pipe, the input closed).
   */
  next(prompt: string): Promise<string | null>;
  /** One answer line to a question (not kept in history); null when cancelled or at end of input. */
  answer(prompt: string): Promise<string | null>;
  /** Runs `work` (a streaming reply) with typed keys kept aside until it ends; Ctrl-C still gets through. */
  busy<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Hands the keyboard to `work` (a prompt of its own, such as the session picker) through `keys`, a
   * terminal-like stream, then takes it back.
   */
  suspend<T>(work: (keys: NodeJS.ReadableStream) => Promise<T>): Promise<T>;
  /** Ends the read in progress as if the input had ended (Ctrl-C twice); later reads still work. */
  endInput(): void;
  /** Empties the line being typed, and shows the prompt again (terminal only). */
  clearLine?(): void;
  redraw?(): void;
  close(): void;
}

/** Joins continued lines: `first \` + `second` → "first\nsecond". */
export async function readContinued(read: (prompt: string) => Promise<string | null>, prompt: string, continuation: string): Promise<string | null> {
  const parts: string[] = [];
  let line = await read(prompt);
  while (line !== null && line.endsWith("\\") && !line.endsWith("\\\\")) {
    parts.push(line.slice(0, -1));
    line = await read(continuation);
  }
  if (line === null) return parts.length > 0 ? parts.join("\n") : null;
  parts.push(line);
  return parts.join("\n");
}

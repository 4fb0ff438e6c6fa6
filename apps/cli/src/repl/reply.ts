import type { Message } from "@victor/core";
import { sanitizeText, type Output } from "@victor/terminal";

export const plainMessage = (role: string, content: string): Message => ({ role, content, name: null, tool_calls: null, tool_call_id: null });

/**
 * A model's reply as it streams to the terminal: text only, through the sanitiser (a model can emit
 * escape sequences too); colour comes from us alone. A `\r` at the end of a piece waits for the next
 * one, so a `\r\n` split across pieces is still one line break.
 */
export class ReplyWriter {
  private pendingReturn = false;
  private lastChar = "\n";

  constructor(private readonly out: Output) {}

  write(delta: string): void {
    let text = (this.pendingReturn ? "\r" : "") + delta;
    this.pendingReturn = text.endsWith("\r");
    if (this.pendingReturn) text = text.slice(0, -1);
    if (text === "") return;
    const safe = sanitizeText(text);
    this.out.write(safe);
    this.lastChar = safe.at(-1) ?? this.lastChar;
  }

  /** Ends the reply on a line of its own. */
  end(): void {
    if (this.pendingReturn) this.out.write(sanitizeText("\r"));
    this.pendingReturn = false;
    if (this.lastChar !== "\n") this.out.write("\n");
    this.lastChar = "\n";
  }
}

/** The one reply being streamed (or summary being made), so Ctrl-C and signals can stop it. */
export class ReplyControl {
  private current: AbortController | null = null;

  async run<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.current = controller;
    try {
      return await work(controller.signal);
    } finally {
      if (this.current === controller) this.current = null;
    }
  }

  /** Stops the reply in progress; false when there is none. */
  abort(): boolean {
    if (!this.current) return false;
    this.current.abort();
    return true;
  }
}

import type { Terminal } from "../io.js";
import type { ChatInput } from "./input/chat-input.js";
import type { ReplyControl } from "./reply.js";

type Termination = "SIGHUP" | "SIGTERM";

/**
 * Ctrl-C and the signals that end a chat:
 * - Ctrl-C stops the reply being streamed; on a line being typed it clears the line; at an empty
 *   prompt the first one says how to leave and a second one leaves (through the unsaved-work question).
 * - SIGHUP (terminal closed, ssh dropped) and SIGTERM end the chat the way /exit does: the reply is
 *   stopped, the input closed, and the store closed cleanly — nothing is left only in the -wal file.
 */
export class Interrupts {
  /** The signal that ended the chat, if one did. */
  signal: Termination | null = null;
  private armed = false;
  private input: ChatInput | null = null;
  private readonly onSigint = (): void => this.onCtrlC("");
  private readonly onHangup = (): void => this.terminate("SIGHUP");
  private readonly onTerm = (): void => this.terminate("SIGTERM");

  constructor(
    private readonly terminal: Terminal,
    private readonly replies: ReplyControl,
  ) {}

  attach(input: ChatInput): void {
    this.input = input;
    process.on("SIGINT", this.onSigint);
    process.on("SIGHUP", this.onHangup);
    process.on("SIGTERM", this.onTerm);
  }

  detach(): void {
    process.off("SIGINT", this.onSigint);
    process.off("SIGHUP", this.onHangup);
    process.off("SIGTERM", this.onTerm);
  }

  /** A new line was read: the next Ctrl-C at an empty prompt warns again instead of leaving. */
  disarm(): void {
    this.armed = false;
  }

  onCtrlC(line: string): void {
    if (this.replies.abort()) return;
    const input = this.input;
    if (!input) return;
    if (!input.interactive) {
      input.close();
      return;
    }
    if (line.length > 0) {
      input.clearLine?.();
      this.armed = false;
      return;
    }
    if (this.armed) {
      input.endInput();
      return;
    }
    this.armed = true;
    this.terminal.say(`\n${this.terminal.c.dim("(Ctrl-C again or Ctrl-D to leave; /exit works too)")}`);
    input.redraw?.();
  }

  private terminate(signal: Termination): void {
    this.signal ??= signal;
    this.replies.abort();
    this.input?.close();
  }
}

import { createInterface, type Interface } from "node:readline";
import { readContinued, type ChatInput } from "./chat-input.js";

/** Input from a pipe or a file: every line is one input, processed in order. */
export class PipedInput implements ChatInput {
  readonly interactive = false;
  private readonly rl: Interface;
  private readonly lines: string[] = [];
  private ended = false;
  private waiter: ((line: string | null) => void) | null = null;

  constructor(private readonly stdin: NodeJS.ReadableStream) {
    this.rl = createInterface({ input: stdin, terminal: false });
    this.rl.on("line", (line) => this.deliver(line));
    this.rl.on("close", () => {
      this.ended = true;
      this.deliver(null);
    });
  }

  private deliver(line: string | null): void {
    const waiter = this.waiter;
    this.waiter = null;
    if (waiter) waiter(line);
    else if (line !== null) this.lines.push(line);
  }

  private read(): Promise<string | null> {
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => (this.waiter = resolve));
  }

  next(): Promise<string | null> {
    return readContinued(() => this.read(), "", "");
  }

  answer(): Promise<string | null> {
    return this.read();
  }

  busy<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }

  suspend<T>(work: (keys: NodeJS.ReadableStream) => Promise<T>): Promise<T> {
    return work(this.stdin);
  }

  endInput(): void {
    this.close();
  }

  close(): void {
    this.rl.close();
  }
}

import { createInterface, type Interface } from "node:readline";

/**
 * Input lines, one at a time, from a terminal (with prompt and history) or a pipe (each line in order;
 * end of input is null, so no read ever blocks forever).
 */
export class LineSource {
  readonly interactive: boolean;
  private readonly rl: Interface;
  private readonly iterator: AsyncIterator<string>;

  constructor(input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stdout) {
    this.interactive = input.isTTY === true && output.isTTY === true;
    this.rl = createInterface({ input, output: this.interactive ? output : undefined, terminal: this.interactive, historySize: 500 });
    this.iterator = this.rl[Symbol.asyncIterator]();
  }

  /** The readline interface (Ctrl-C handling on a terminal). */
  get readline(): Interface {
    return this.rl;
  }

  async next(prompt: string): Promise<string | null> {
    if (this.interactive) {
      this.rl.setPrompt(prompt);
      this.rl.prompt();
    }
    const result = await this.iterator.next();
    return result.done ? null : result.value;
  }

  close(): void {
    this.rl.close();
  }
}

import { PassThrough } from "node:stream";
import { createInterface, type AsyncCompleter, type Interface } from "node:readline";
import type { WritableTerminal } from "@victor/terminal";
import { readContinued, type ChatInput } from "./chat-input.js";
import type { HistoryFile } from "./history-file.js";
import { expandMarks, KeyFilter } from "./key-filter.js";

const BRACKETED_PASTE_ON = "\x1b[?2004h";
const BRACKETED_PASTE_OFF = "\x1b[?2004l";
const CTRL_C = "\x03";

export interface TerminalInputOptions {
  history?: HistoryFile;
  completer?: AsyncCompleter;
  /** Ctrl-C when no question is pending: the chat decides (stop a reply, clear the line, leave). */
  onInterrupt(line: string): void;
  /** A failure to save history: reported once, the chat goes on. */
  onHistoryError(error: Error): void;
}

type Stdin = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };

/**
 * A person at a terminal. readline edits the line (history, Tab completion); in front of it a
 * KeyFilter makes a bracketed paste one input and Alt-Enter a line break; while a reply streams the
 * keys typed are kept aside and given to the next prompt, so they neither garble the reply nor get lost.
 */
export class TerminalInput implements ChatInput {
  readonly interactive = true;
  private readonly filter = new KeyFilter();
  /** What readline reads: the filtered keys. It is a TTY to readline, with the real one's raw mode. */
  private readonly keys: PassThrough & { isTTY: boolean; setRawMode: (mode: boolean) => void };
  private rl: Interface | null = null;
  private history: string[];
  private held: string | null = null;
  /** Keys typed during the last reply: given to readline once the next prompt is up, as if typed there. */
  private typedAhead = "";
  private lines: string[] = [];
  private waiter: ((line: string | null) => void) | null = null;
  private asking = false;
  private attached = false;
  private closed = false;
  /** While another prompt has the keyboard, the raw keys go to it. */
  private lentTo: PassThrough | null = null;
  private readonly onData = (chunk: string | Buffer): void => {
    if (this.lentTo) this.lentTo.write(String(chunk));
    else this.receive(this.filter.feed(String(chunk)));
  };

  constructor(
    private readonly stdin: Stdin,
    private readonly stdout: WritableTerminal,
    private readonly options: TerminalInputOptions,
  ) {
    this.keys = this.ttyLike();
    this.history = options.history?.load() ?? [];
    this.attach();
  }

  /** A stream readline (ours or another prompt's) can treat as the terminal; raw mode is the real one's. */
  private ttyLike(): PassThrough & { isTTY: boolean; setRawMode: (mode: boolean) => void } {
    return Object.assign(new PassThrough({ encoding: "utf8" }), { isTTY: true, setRawMode: (mode: boolean) => void this.stdin.setRawMode?.(mode) });
  }

  private attach(): void {
    if (this.attached) return;
    this.attached = true;
    this.stdin.setEncoding?.("utf8");
    this.stdin.on("data", this.onData);
    this.stdin.resume();
    this.stdout.write(BRACKETED_PASTE_ON);
  }

  private detach(): void {
    if (!this.attached) return;
    this.attached = false;
    this.stdout.write(BRACKETED_PASTE_OFF);
    this.stdin.off("data", this.onData);
    this.stdin.pause();
  }

  /** Keys go to readline, or are kept while busy — all but Ctrl-C, which must reach the chat at once. */
  private receive(text: string): void {
    if (this.held === null) {
      this.keys.write(text);
      return;
    }
    if (text.includes(CTRL_C)) this.keys.write(CTRL_C);
    this.held += text.replaceAll(CTRL_C, "");
  }

  private open(): Interface {
    if (this.rl) return this.rl;
    const rl = createInterface({
      input: this.keys,
      output: this.stdout,
      terminal: true,
      history: this.history,
      historySize: 500,
      removeHistoryDuplicates: true,
      tabSize: 4,
      ...(this.options.completer ? { completer: this.options.completer } : {}),
    });
    rl.on("line", (line) => this.deliver(line));
    rl.on("history", (history: string[]) => {
      this.history = history;
      if (this.asking) return;
      try {
        this.options.history?.save(history);
      } catch (error) {
        this.options.onHistoryError(error as Error);
      }
    });
    rl.on("SIGINT", () => {
      if (this.asking) {
        // Ctrl-C cancels a question.
        this.stdout.write("\n");
        this.deliver(null);
        return;
      }
      this.options.onInterrupt(rl.line);
    });
    rl.on("close", () => {
      // Closed by us to lend the keyboard (suspend): nobody's input has ended.
      if (this.rl !== rl) return;
      this.rl = null;
      // Ctrl-D on an empty line: the end of input for whoever is waiting.
      this.deliver(null);
    });
    this.rl = rl;
    return rl;
  }

  private deliver(line: string | null): void {
    const waiter = this.waiter;
    this.waiter = null;
    if (waiter) waiter(line);
    else if (line !== null) this.lines.push(line);
  }

  private read(prompt: string): Promise<string | null> {
    if (this.closed) return Promise.resolve(null);
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    const rl = this.open();
    // Raw mode again: a prompt that had the keyboard (the picker) turns it off when it is done.
    this.stdin.setRawMode?.(true);
    rl.setPrompt(prompt);
    rl.prompt();
    const promise = new Promise<string | null>((resolve) => (this.waiter = resolve));
    if (this.typedAhead) {
      this.keys.write(this.typedAhead);
      this.typedAhead = "";
    }
    return promise;
  }

  endInput(): void {
    this.stdout.write("\n");
    this.deliver(null);
  }

  /** Empties the line being edited (Ctrl-C on a non-empty line). */
  clearLine(): void {
    this.rl?.write(null, { ctrl: true, name: "u" });
  }

  /** Shows the prompt again below a notice (e.g. "Ctrl-C again to leave"). */
  redraw(): void {
    this.rl?.prompt();
  }

  async next(prompt: string): Promise<string | null> {
    const line = await readContinued((p) => this.read(p), prompt, "… ");
    return line === null ? null : expandMarks(line);
  }

  async answer(prompt: string): Promise<string | null> {
    this.asking = true;
    try {
      const line = await this.read(prompt);
      // An answer is not something to recall with ↑.
      if (line !== null && this.history[0] === line) this.history.shift();
      return line;
    } finally {
      this.asking = false;
    }
  }

  async busy<T>(work: () => Promise<T>): Promise<T> {
    this.held = "";
    try {
      return await work();
    } finally {
      this.typedAhead += this.held;
      this.held = null;
    }
  }

  async suspend<T>(work: (keys: NodeJS.ReadableStream) => Promise<T>): Promise<T> {
    const rl = this.rl;
    this.rl = null;
    rl?.close();
    // We keep reading the terminal ourselves and lend the keys: the other prompt never pauses or
    // closes the real stdin, so the chat's prompt works as before once it is done.
    const keys = this.ttyLike();
    this.lentTo = keys;
    this.stdout.write(BRACKETED_PASTE_OFF);
    try {
      return await work(keys);
    } finally {
      this.lentTo = null;
      keys.end();
      if (!this.closed) this.stdout.write(BRACKETED_PASTE_ON);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const rl = this.rl;
    this.rl = null;
    rl?.close();
    this.lentTo?.end();
    this.detach();
    this.stdin.setRawMode?.(false);
    this.deliver(null);
  }
}

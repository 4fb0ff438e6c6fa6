import type { Message, SessionStore, SessionSummary } from "@victor/core";
import type { Colors } from "@victor/terminal";
import type { ChatState } from "../repl/chat-state.js";

/** One choice of a question asked at the terminal: `[s]ave`. */
export interface Choice<T extends string> {
  key: string;
  label: string;
  value: T;
}

/**
 * Questions a command may ask. On a terminal they are asked; with piped input there is nobody to
 * ask (`interactive` false): commands then keep the behaviour a script relies on.
 */
export interface ChatPrompts {
  readonly interactive: boolean;
  /** The next input line (a TTY shows `prompt`); null at end of input. */
  readLine(prompt: string): Promise<string | null>;
  /** One of `choices` by its key; null when cancelled (Ctrl-C, Ctrl-D, empty answer). */
  choose<T extends string>(question: string, choices: readonly Choice<T>[]): Promise<T | null>;
  /** The interactive session picker (type to filter, preview); null when cancelled. */
  pickSession(recent: readonly SessionSummary[]): Promise<string | null>;
}

/** What a slash command can reach: the chat state, the store and the terminal. No model needed. */
export interface SlashContext {
  state: ChatState;
  /** Colours for stdout. */
  c: Colors;
  /** Columns to fit on stdout; undefined for a pipe. */
  width(): number | undefined;
  /** A line (or block) of normal output, on stdout: laid out already (a panel, a table, a message). */
  print(text: string): void;
  /** A sentence or two of normal output, wrapped at word boundaries to the terminal's width. */
  tell(text: string): void;
  /** A hint (dim), wrapped to the terminal's width. */
  note(text: string): void;
  /** A warning or error line, on stderr. */
  warn(text: string): void;
  /** The session store, created on first use (for commands that write). */
  store(): Promise<SessionStore>;
  /** The store if the database already exists, else null (reading creates nothing). */
  existingStore(): Promise<SessionStore | null>;
  dbPath: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  prompts: ChatPrompts;
  /** Asks the current model to summarise these messages (for /compact --smart). */
  summarise(messages: readonly Message[]): Promise<string>;
  commands: readonly SlashCommand[];
}

/**
 * What a command asks of the chat loop once it has run: nothing more (undefined), leave, or send the
 * conversation to the model again (/retry).
 */
export type SlashOutcome = void | { type: "exit" } | { type: "retry"; text: string };

export interface SlashCommand {
  name: string;
  aliases: readonly string[];
  description: string;
  usage: string;
  /** Flags it takes, for tab completion. */
  flags?: readonly string[];
  /** What its first argument is, for tab completion. */
  completes?: "session-id" | "legacy-id" | "model";
  run(ctx: SlashContext, args: string[]): Promise<SlashOutcome>;
}

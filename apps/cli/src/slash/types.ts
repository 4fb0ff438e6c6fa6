import type { Message, SessionStore } from "@victor/core";
import type { ChatState } from "../repl/chat-state.js";
import type { Colors } from "../ui/colors.js";

/** What a slash command can reach: the chat state, the store and the terminal. No model needed. */
export interface SlashContext {
  state: ChatState;
  /** Colours for stdout. */
  c: Colors;
  /** A line (or block) of normal output, on stdout. */
  print(text: string): void;
  /** A warning or error line, on stderr. */
  warn(text: string): void;
  /** The session store, created on first use (for commands that write). */
  store(): Promise<SessionStore>;
  /** The store if the database already exists, else null (reading creates nothing). */
  existingStore(): Promise<SessionStore | null>;
  dbPath: string;
  cwd: string;
  /** Reads the next input line (a TTY shows `prompt`); null at end of input. */
  readLine(prompt: string): Promise<string | null>;
  /** Asks the current model to summarise these messages (for /compact --smart). */
  summarise(messages: readonly Message[]): Promise<string>;
  commands: readonly SlashCommand[];
}

export type SlashResult = void | "exit";

export interface SlashCommand {
  name: string;
  aliases: readonly string[];
  description: string;
  usage: string;
  run(ctx: SlashContext, args: string[]): Promise<SlashResult>;
}

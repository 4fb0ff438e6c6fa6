import type { SessionStore, SessionSummary } from "@victor/core";
import { sanitizeLine, sanitizeText } from "@victor/terminal";
import type { Terminal } from "../io.js";
import type { ChatPrompts, Choice } from "../slash/types.js";
import type { ChatInput } from "./input/chat-input.js";
import { pickSession } from "./session-picker.js";

/** The questions of a chat, asked through its input. */
export function chatPrompts(input: ChatInput, terminal: Terminal, store: () => Promise<SessionStore | null>): ChatPrompts {
  const say = (text: string): void => terminal.say(text);
  return {
    interactive: input.interactive,
    async readLine(prompt) {
      // A pipe shows no prompt; print it so the transcript of a piped chat reads in order.
      if (!input.interactive) say(prompt.trimEnd());
      return input.answer(prompt);
    },
    async choose<T extends string>(question: string, choices: readonly Choice<T>[]): Promise<T | null> {
      terminal.tell(sanitizeText(question));
      say(choices.map((c) => `  [${c.key}] ${sanitizeLine(c.label)}`).join("\n"));
      const answer = (await input.answer(`${choices.map((c) => c.key).join("/")}? `))?.trim().toLowerCase() ?? "";
      if (answer === "") return null;
      return choices.find((c) => c.key === answer || c.value.startsWith(answer))?.value ?? null;
    },
    async pickSession(recent: readonly SessionSummary[]): Promise<string | null> {
      const opened = await store();
      if (!opened) return null;
      return input.suspend((keys) => pickSession(opened, recent, { input: keys, output: terminal.io.stdout, width: terminal.width() ?? 80 }));
    },
  };
}

import { openSessionStore, type Message, type SessionStore } from "@victor/core";
import { colorsFor, wrapToWidth } from "@victor/terminal";
import { makeTempDir, type TempDir } from "@victor/test-utils";
import { existsSync, mkdirSync } from "node:fs";
import { ChatState } from "../../repl/chat-state.js";
import { SLASH_COMMANDS } from "../registry.js";
import type { ChatPrompts, SlashContext } from "../types.js";

export interface FakeContext extends SlashContext {
  out: string[];
  errors: string[];
  inputs: string[];
  /** Questions asked through prompts.choose. */
  questions: string[];
  dir: TempDir;
  /** All printed output joined. */
  readonly text: string;
  cleanup(): Promise<void>;
}

export const msg = (role: string, content: string, extra: Partial<Message> = {}): Message => ({ role, content, name: null, tool_calls: null, tool_call_id: null, ...extra });

export interface FakeOptions {
  summary?: string;
  /** Answers, one per question or line read. */
  inputs?: string[];
  /** Behave as a terminal (questions are asked) instead of piped input. */
  interactive?: boolean;
  width?: number;
  /** What the session picker returns. */
  pick?: string | null;
}

/** A slash context over a real store in a temp project dir, capturing output; no terminal, no model. */
export function fakeContext(options: FakeOptions = {}): FakeContext {
  const dir = makeTempDir("victor-slash-");
  mkdirSync(dir.join(".git"));
  const dbPath = dir.join(".victor", "project.db");
  let store: SessionStore | null = null;
  const out: string[] = [];
  const errors: string[] = [];
  const questions: string[] = [];
  const inputs = [...(options.inputs ?? [])];
  const prompts: ChatPrompts = {
    interactive: options.interactive === true,
    readLine: async () => inputs.shift() ?? null,
    choose: async (question, choices) => {
      questions.push(question);
      const answer = inputs.shift();
      return choices.find((c) => c.key === answer)?.value ?? null;
    },
    pickSession: async () => options.pick ?? null,
  };
  const ctx: FakeContext = {
    state: new ChatState({ provider: "ollama", model: "qwen2.5-coder:7b" }),
    c: colorsFor({ isTTY: false }, {}),
    width: () => options.width,
    print: (t) => void out.push(t),
    // As the chat's terminal does (Terminal.tell): wrapped to the width it was given.
    tell: (t) => void out.push(wrapToWidth(t, options.width).join("\n")),
    note: (t) => void out.push(t),
    warn: (t) => void errors.push(t),
    dbPath,
    cwd: dir.path,
    env: { HOME: dir.join("home") },
    prompts,
    commands: SLASH_COMMANDS,
    store: async () => (store ??= await openSessionStore({ dbPath })),
    existingStore: async () => store ?? (existsSync(dbPath) ? (store = await openSessionStore({ dbPath })) : null),
    summarise: async (older) => options.summary ?? `summary of ${older.length} messages`,
    out,
    errors,
    inputs,
    questions,
    dir,
    get text() {
      return out.join("\n");
    },
    cleanup: async () => {
      await store?.close();
      dir.remove();
    },
  };
  return ctx;
}

import { openSessionStore, type Message, type SessionStore } from "@victor/core";
import { makeTempDir, type TempDir } from "@victor/test-utils";
import { existsSync, mkdirSync } from "node:fs";
import { ChatState } from "../../repl/chat-state.js";
import { colors } from "../../ui/colors.js";
import { SLASH_COMMANDS } from "../registry.js";
import type { SlashContext } from "../types.js";

export interface FakeContext extends SlashContext {
  out: string[];
  errors: string[];
  inputs: string[];
  dir: TempDir;
  /** All printed output joined. */
  readonly text: string;
  cleanup(): Promise<void>;
}

export const msg = (role: string, content: string, extra: Partial<Message> = {}): Message => ({ role, content, name: null, tool_calls: null, tool_call_id: null, ...extra });

/** A slash context over a real store in a temp project dir, capturing output; no terminal, no model. */
export function fakeContext(options: { summary?: string; inputs?: string[] } = {}): FakeContext {
  const dir = makeTempDir("victor-slash-");
  mkdirSync(dir.join(".git"));
  const dbPath = dir.join(".victor", "project.db");
  let store: SessionStore | null = null;
  const out: string[] = [];
  const errors: string[] = [];
  const inputs = [...(options.inputs ?? [])];
  const ctx: FakeContext = {
    state: new ChatState({ provider: "ollama", model: "qwen2.5-coder:7b" }),
    c: colors({ isTTY: false } as NodeJS.WriteStream),
    print: (t) => void out.push(t),
    warn: (t) => void errors.push(t),
    dbPath,
    cwd: dir.path,
    commands: SLASH_COMMANDS,
    store: async () => (store ??= await openSessionStore({ dbPath })),
    existingStore: async () => store ?? (existsSync(dbPath) ? (store = await openSessionStore({ dbPath })) : null),
    readLine: async () => inputs.shift() ?? null,
    summarise: async (older) => options.summary ?? `summary of ${older.length} messages`,
    out,
    errors,
    inputs,
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

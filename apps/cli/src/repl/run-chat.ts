import { VictorError, openSessionStore, type Message, type SessionStore } from "@victor/core";
import { existsSync } from "node:fs";
import { UsageError } from "../errors.js";
import { isKnownProvider, KNOWN_PROVIDERS, resolveModelTarget } from "../providers/config.js";
import { SLASH_COMMANDS, runSlashLine } from "../slash/registry.js";
import { resumeSession } from "../slash/resume-session.js";
import type { SlashContext } from "../slash/types.js";
import { dbPathFor, openStoreForWrite } from "../store.js";
import { colors } from "../ui/colors.js";
import { ChatState } from "./chat-state.js";
import { SUMMARY_INSTRUCTION } from "./compact.js";
import { importHint } from "./import-hint.js";
import { legacyHint } from "./legacy-hint.js";
import { LineSource } from "./line-source.js";

export interface ChatOptions {
  message?: string;
  provider?: string;
  model?: string;
  profile?: string;
  /** undefined = start fresh; "" = the most recent session; else an id or prefix. */
  resume?: string;
  baseUrl?: string;
  db?: string;
  debug?: boolean;
}

const plainMessage = (role: string, content: string): Message => ({ role, content, name: null, tool_calls: null, tool_call_id: null });

/** The chat REPL: input lines from a terminal or a pipe, slash commands, streamed replies. */
export async function runChat(options: ChatOptions): Promise<void> {
  const target = resolveModelTarget(options);
  if (!isKnownProvider(target.provider)) throw new UsageError(`Unknown provider "${target.provider}": use one of ${KNOWN_PROVIDERS.join(", ")}.`);
  const state = new ChatState({ ...target, profile: options.profile });
  const dbPath = dbPathFor(options);
  const cwd = process.cwd();
  const out = colors(process.stdout);
  const err = colors(process.stderr);
  let store: SessionStore | null = null;
  const input = new LineSource();
  let current: AbortController | null = null;

  const print = (text: string): void => void process.stdout.write(`${text}\n`);
  const warn = (text: string): void => void process.stderr.write(`${err.yellow(text)}\n`);
  const error = (text: string): void => void process.stderr.write(`${err.red("Error:")} ${text}\n`);

  const ctx: SlashContext = {
    state,
    c: out,
    print,
    warn,
    dbPath,
    cwd,
    commands: SLASH_COMMANDS,
    store: async () => (store ??= await openStoreForWrite(options)),
    existingStore: async () => store ?? (existsSync(dbPath) ? (store = await openSessionStore({ dbPath })) : null),
    readLine: (prompt) => {
      if (!input.interactive) print(prompt.trimEnd());
      return input.next(prompt);
    },
    summarise: async (older) => {
      const { completeText } = await import("../providers/stream.js");
      current = new AbortController();
      try {
        return await completeText({
          target: state.target,
          conversation: { system_prompt: state.extras.system_prompt, messages: [...older, plainMessage("user", SUMMARY_INSTRUCTION)] },
          signal: current.signal,
        });
      } finally {
        current = null;
      }
    },
  };

  const sendMessage = async (text: string): Promise<void> => {
    state.append(plainMessage("user", text));
    const { streamReply } = await import("../providers/stream.js");
    current = new AbortController();
    let printed = "";
    const outcome = await streamReply({
      target: state.target,
      conversation: state.conversation,
      signal: current.signal,
      onText: (delta) => {
        printed += delta;
        process.stdout.write(delta);
      },
    });
    current = null;
    if (printed && !printed.endsWith("\n")) process.stdout.write("\n");
    // Only a complete reply joins the conversation; a partial one was shown but is not kept.
    if (outcome.status === "complete") state.append(plainMessage("assistant", outcome.text));
    else if (outcome.status === "aborted") warn("Reply stopped. The partial reply was not added to the conversation; your message was kept.");
    else error(outcome.text ? `${outcome.error}; the partial reply was not kept (your message was).` : outcome.error);
  };

  const handleLine = async (raw: string): Promise<"exit" | void> => {
    const line = raw.trim();
    if (!line) return;
    if (!input.interactive) print(out.dim(`› ${line}`));
    try {
      if (line.startsWith("/")) return await runSlashLine(ctx, line);
      await sendMessage(line);
    } catch (caught) {
      error(caught instanceof Error ? caught.message : String(caught));
      if (options.debug && caught instanceof Error && !(caught instanceof VictorError) && caught.stack) process.stderr.write(`${caught.stack}\n`);
    }
  };

  // Ctrl-C stops a reply; at an empty prompt, a second Ctrl-C leaves.
  let armed = false;
  const onInterrupt = (): void => {
    if (current) {
      current.abort();
      return;
    }
    if (!input.interactive) {
      input.close();
      return;
    }
    const rl = input.readline;
    if (rl.line.length > 0) {
      rl.write(null, { ctrl: true, name: "u" });
      armed = false;
      return;
    }
    if (armed) {
      input.close();
      return;
    }
    armed = true;
    process.stdout.write(`\n${out.dim("(Ctrl-C again or Ctrl-D to leave; /exit works too)")}\n`);
    rl.prompt();
  };
  input.readline.on("SIGINT", onInterrupt);
  process.on("SIGINT", onInterrupt);

  try {
    for (const hint of await legacyHint(cwd, dbPath)) warn(hint);
    const imports = await importHint(cwd, dbPath);
    if (imports) warn(imports);
    if (options.resume !== undefined) await resumeSession(ctx, options.resume || null, { provider: options.provider, model: options.model });
    else if (input.interactive) print(out.dim(`victor chat · ${state.provider}:${state.model} · /help for commands`));
    if (options.message && (await handleLine(options.message)) === "exit") return;
    for (;;) {
      const line = await input.next(`${out.cyan("victor")}> `);
      if (line === null) break;
      armed = false;
      if ((await handleLine(line)) === "exit") break;
    }
  } finally {
    process.off("SIGINT", onInterrupt);
    input.close();
    if (state.hasUnsavedMessages) {
      const n = state.messages.filter((m) => m.role !== "system").length;
      warn(
        `Warning: leaving with unsaved messages (${n} in this conversation) — they were not saved. ` +
          `Next time, type ${state.activeSessionId ? "/save" : '/save "Title"'} before /exit.`,
      );
    }
    const opened = store as SessionStore | null;
    await opened?.close();
  }
}

import { findProjectRoot, PROJECT_DIR_NAME } from "@victor/core";
import { join, dirname } from "node:path";
import { isKnownProvider, resolveModelTarget, unknownProviderError } from "../providers/config.js";
import type { Terminal } from "../io.js";
import { SLASH_COMMANDS } from "../slash/registry.js";
import { mostRecentSessionId, resumeSession } from "../slash/resume-session.js";
import type { SlashContext } from "../slash/types.js";
import { describeLocation, openOptionsFor } from "../store.js";
import { storeLocationFor } from "../location.js";
import { ChatState } from "./chat-state.js";
import { runLoop } from "./chat-loop.js";
import { SUMMARY_INSTRUCTION } from "./compact.js";
import { createCompleter } from "./completer.js";
import { importHint } from "./import-hint.js";
import type { ChatInput } from "./input/chat-input.js";
import { HistoryFile } from "./input/history-file.js";
import { PipedInput } from "./input/piped-input.js";
import { TerminalInput } from "./input/terminal-input.js";
import { Interrupts } from "./interrupts.js";
import { legacyHint } from "./legacy-hint.js";
import { chatPrompts } from "./prompts.js";
import { plainMessage, ReplyControl } from "./reply.js";
import { StoreHandle } from "./store-handle.js";

export interface ChatOptions {
  message?: string;
  provider?: string;
  model?: string;
  profile?: string;
  /** undefined = start fresh; "" = the most recent session; else an id or prefix. */
  resume?: string;
  baseUrl?: string;
  autosave?: boolean;
  db?: string;
  project?: string;
  debug?: boolean;
}

const truthy = (value: string | undefined): boolean => value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());

/**
 * `victor chat`: wires the parts together — state, store, input (terminal or pipe), the slash-command
 * context, Ctrl-C and signals — then runs the loop and closes everything, the store last, however the
 * chat ends (so SQLite folds its write-ahead log into the database file).
 */
export async function runChat(options: ChatOptions, terminal: Terminal): Promise<void> {
  const { io } = terminal;
  const target = resolveModelTarget(options, io.env);
  if (!isKnownProvider(target.provider)) throw unknownProviderError(target.provider);
  const state = new ChatState({ ...target, profile: options.profile });
  state.setAutosave(options.autosave ?? truthy(io.env.VICTOR_AUTOSAVE));
  const location = storeLocationFor(options, io);
  const dbPath = describeLocation(location);
  const store = new StoreHandle(location, openOptionsFor(location, io, options.project));
  // The project's .victor/ keeps the input history, whether the sessions are in its file or on a server.
  const victorDir = location.engine === "sqlite" ? dirname(location.path) : join(findProjectRoot(io.cwd, io.env), PROJECT_DIR_NAME);
  const replies = new ReplyControl();
  const interrupts = new Interrupts(terminal, replies);
  const interactive = io.stdin.isTTY === true && io.stdout.isTTY === true;
  let historyWarned = false;
  const input: ChatInput = interactive
    ? new TerminalInput(io.stdin, io.stdout, {
        history: new HistoryFile(join(victorDir, "input-history")),
        completer: createCompleter({ commands: SLASH_COMMANDS, store: () => store.ifExists(), cwd: io.cwd, env: io.env, current: () => state.target }),
        onInterrupt: (line) => interrupts.onCtrlC(line),
        onHistoryError: (error) => {
          if (!historyWarned) terminal.warn(`Input history not saved: ${error.message}`);
          historyWarned = true;
        },
      })
    : new PipedInput(io.stdin);
  interrupts.attach(input);

  const ctx: SlashContext = {
    state,
    c: terminal.c,
    width: () => terminal.width(),
    print: (text) => terminal.say(text),
    tell: (text) => terminal.tell(text),
    note: (text) => terminal.note(text),
    warn: (text) => terminal.warn(text),
    store: () => store.forWrite(),
    existingStore: () => store.ifExists(),
    dbPath,
    cwd: io.cwd,
    env: io.env,
    prompts: chatPrompts(input, terminal, () => store.ifExists()),
    commands: SLASH_COMMANDS,
    summarise: async (older) => {
      const { completeText } = await import("../providers/stream.js");
      return input.busy(() =>
        replies.run((signal) =>
          completeText({ target: state.target, conversation: { system_prompt: state.systemPrompt, messages: [...older, plainMessage("user", SUMMARY_INSTRUCTION)] }, signal, env: io.env }),
        ),
      );
    },
  };

  try {
    // What is not in this database yet: legacy JSON files, a Python Victor database, other tools' sessions.
    // (For a server, these hints are the sync's job: they speak of the project's own file.)
    if (location.engine === "sqlite") {
      for (const hint of [...(await legacyHint(io.cwd, dbPath, io.env)), ...(await importHint(io.cwd, dbPath, io.env))]) terminal.warn(hint);
    }
    if (options.resume !== undefined) {
      const id = options.resume || (await mostRecentSessionId(ctx));
      await resumeSession(ctx, id, { provider: options.provider, model: options.model, baseUrl: options.baseUrl });
    } else if (interactive) terminal.note(`victor chat · ${state.provider}:${state.model}${state.autosave ? " · autosave on" : ""} · /help for commands`);
    const failures = await runLoop({ ctx, terminal, input, replies, interrupts, firstMessage: options.message, debug: options.debug === true });
    // A script learns that something failed: a piped chat whose reply or command failed exits 1.
    if (!interactive && failures > 0) terminal.exitCode = 1;
    if (interrupts.signal) terminal.exitCode = 128 + (interrupts.signal === "SIGHUP" ? 1 : 15);
  } finally {
    interrupts.detach();
    input.close();
    await store.close();
  }
}

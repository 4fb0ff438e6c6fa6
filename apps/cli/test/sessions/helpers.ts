import { openSessionStore, type Message, type SaveSessionInput } from "@victor/core";
import { makeTempDir, runNode, type RunResult, type TempDir } from "@victor/test-utils";
import { mkdirSync } from "node:fs";
import { runCli, type CliRunOptions } from "../in-process.js";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, "../../../..");
export const VICTOR_BIN = join(REPO_ROOT, "apps/cli/bin/victor.js");
export const LEGACY_SAMPLE = join(REPO_ROOT, "examples/legacy-sessions/project/.victor/sessions/20251215_145334.json");

export interface Project {
  dir: TempDir;
  home: TempDir;
  /** <project>/.victor/project.db, where the CLI looks by default. */
  dbPath: string;
  /** Runs `victor …args` in this process (main(argv, io)): fast, for most tests. */
  run(args: readonly string[], options?: Omit<CliRunOptions, "cwd">): Promise<RunResult>;
  /** Runs the built binary in a child process: for what needs the process boundary. */
  runBin(args: readonly string[], options?: { env?: Record<string, string>; input?: string }): Promise<RunResult>;
  remove(): void;
}

/** A temp project (with .git, so it is the project root) and a temp HOME. */
export function makeProject(): Project {
  const dir = makeTempDir("victor-cli-sessions-");
  const home = makeTempDir("victor-cli-home-");
  mkdirSync(dir.join(".git"));
  return {
    dir,
    home,
    dbPath: dir.join(".victor", "project.db"),
    run: (args, options = {}) => runCli(args, { ...options, cwd: dir.path, env: { HOME: home.path, ...options.env } }),
    runBin: (args, options = {}) => runNode(VICTOR_BIN, args, { cwd: dir.path, env: { HOME: home.path, ...options.env }, input: options.input }),
    remove: () => {
      dir.remove();
      home.remove();
    },
  };
}

export function conversation(userText: string, extra: Message[] = []): SaveSessionInput["conversation"] {
  return {
    system_prompt: "You are Victor.",
    messages: [
      { role: "user", content: userText },
      { role: "assistant", content: `Answer about ${userText}` },
      ...extra,
    ],
  };
}

/** Saves sessions with fixed ids through the core API. */
export async function seed(dbPath: string, sessions: { id: string; text: string; title?: string; extra?: Message[]; model?: string }[]): Promise<void> {
  const store = await openSessionStore({ dbPath });
  try {
    for (const s of sessions) {
      await store.saveSession({
        sessionId: s.id,
        title: s.title,
        model: s.model ?? "claude-sonnet-4",
        provider: "anthropic",
        conversation: conversation(s.text, s.extra),
      });
    }
  } finally {
    await store.close();
  }
}

export async function withStore<T>(dbPath: string, fn: (store: Awaited<ReturnType<typeof openSessionStore>>) => Promise<T>): Promise<T> {
  const store = await openSessionStore({ dbPath });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

import { makeTempDir, runNode, startAnthropicServer, startNode, startOpenAiServer, startPty, type FakeLlmServer, type PtySession, type TempDir } from "@victor/test-utils";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { runCli } from "../in-process.js";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const VICTOR_BIN = join(here, "../../bin/victor.js");
export const LEGACY_SAMPLES = join(here, "../../../../examples/legacy-sessions");

export interface ChatRig {
  project: TempDir;
  home: string;
  openai: FakeLlmServer;
  anthropic: FakeLlmServer;
  env: Record<string, string>;
  /** Runs `victor chat …args` in this process (main(argv, io)) with these input lines piped in. */
  chat(lines: string[], args?: string[]): ReturnType<typeof runNode>;
  /** The same on the built binary, in a child process. */
  chatBin(lines: string[], args?: string[]): ReturnType<typeof runNode>;
  interactive(args?: string[]): ReturnType<typeof startNode>;
  /** Runs `victor …args` (not only chat) on a real pseudo-terminal of this size. */
  pty(args: string[], size: { cols: number; rows: number }, env?: Record<string, string>): PtySession;
  /** The project folder the commands run in, and its database. */
  cwd: string;
  dbPath: string;
  cleanup(): Promise<void>;
}

/** A temp project (with .git) and HOME, both fake LLM servers, and an env pointing victor at them. */
export async function chatRig(): Promise<ChatRig> {
  const project = makeTempDir("victor-chat-");
  mkdirSync(project.join("work", ".git"), { recursive: true });
  const home = project.join("home");
  mkdirSync(home);
  const [openai, anthropic] = await Promise.all([startOpenAiServer(), startAnthropicServer()]);
  const env = {
    HOME: home,
    OPENAI_API_KEY: "test-openai-key",
    OPENAI_BASE_URL: `${openai.url}/v1`,
    ANTHROPIC_API_KEY: "test-anthropic-key",
    ANTHROPIC_BASE_URL: anthropic.url,
    VICTOR_PROVIDER: "anthropic",
    VICTOR_MODEL: "claude-sonnet-4-20250514",
  };
  const cwd = project.join("work");
  return {
    project,
    home,
    openai,
    anthropic,
    env,
    chat: (lines, args = []) => runCli(["chat", ...args], { cwd, env, input: lines.map((l) => `${l}\n`).join("") }),
    chatBin: (lines, args = []) => runNode(VICTOR_BIN, ["chat", ...args], { cwd, env, input: lines.map((l) => `${l}\n`).join("") }),
    interactive: (args = []) => startNode(VICTOR_BIN, ["chat", ...args], { cwd, env }),
    pty: (args, size, extra = {}) => startPty(VICTOR_BIN, args, { cwd, env: { ...env, ...extra }, ...size }),
    cwd,
    dbPath: join(cwd, ".victor", "project.db"),
    cleanup: async () => {
      await Promise.all([openai.close(), anthropic.close()]);
      project.remove();
    },
  };
}

/** The role/content pairs a server received in its last request (system prompt excluded). */
export function lastConversation(server: FakeLlmServer): [string, string][] {
  const messages = server.requests.at(-1)?.body.messages ?? [];
  return messages.filter((m) => m.role !== "system").map((m) => [m.role, typeof m.content === "string" ? m.content : (m.content as { text?: string }[]).map((p) => p.text ?? "").join("")]);
}

export const savedId = (stdout: string): string => /ID:\s+(\S+)/.exec(stdout.slice(stdout.lastIndexOf("Session Saved")))![1]!;

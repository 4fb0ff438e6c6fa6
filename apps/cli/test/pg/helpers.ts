import { createPgTestDatabase, makeTempDir, pgTestUrl, type PgTestDatabase, type RunResult, type TempDir } from "@victor/test-utils";
import { openSessionStore, type Message, type SessionStore } from "@victor/core";
import { mkdirSync, writeFileSync } from "node:fs";
import { describe } from "vitest";
import { runCli, type CliRunOptions } from "../in-process.js";

/** The test server (VICTOR_TEST_PG_URL, see scripts/ci-postgres.sh); null outside CI without one. */
export const pgUrl = pgTestUrl();

/** describe() that runs only with a server (the global setup says loudly when it skips). */
export const describePg: ReturnType<typeof describe.skipIf> = describe.skipIf(pgUrl === null);

/** A database of its own for a test file, migrated by its owner (the test role), as an administrator sets a server up. */
export async function pgDatabase(): Promise<PgTestDatabase> {
  const database = await createPgTestDatabase(pgUrl!);
  const store = await openSessionStore({ url: database.url, project: "setup" });
  await store.close();
  return database;
}

export interface PgProject {
  dir: TempDir;
  /** A clean environment for the run: its own HOME, NO_COLOR. */
  env: Record<string, string>;
  run(args: readonly string[], options?: Omit<CliRunOptions, "cwd">): Promise<RunResult>;
  remove(): void;
}

/**
 * A project folder, a git work tree whose origin is `remote` (the project key is its normalised
 * form, the same on every machine), or none; with a HOME of its own.
 */
export function pgProject(remote: string | null, env: Record<string, string> = {}): PgProject {
  const dir = makeTempDir("victor-cli-pg-");
  mkdirSync(dir.join(".git"));
  if (remote) writeFileSync(dir.join(".git", "config"), `[core]\n\tbare = false\n[remote "origin"]\n\turl = ${remote}\n`);
  mkdirSync(dir.join("home"));
  const baseEnv = { HOME: dir.join("home"), ...env };
  return {
    dir,
    env: baseEnv,
    run: (args, options = {}) => runCli(args, { ...options, cwd: dir.path, env: { ...baseEnv, ...options.env } }),
    remove: () => dir.remove(),
  };
}

export const messages = (...texts: string[]): Message[] => texts.map((content, i) => ({ role: i % 2 === 0 ? "user" : "assistant", content }));

/** Saves sessions straight through the core API (for tests that read them through the CLI). */
export async function seedStore(
  options: Parameters<typeof openSessionStore>[0],
  sessions: { id: string; texts: string[]; title?: string; createdAt?: string; updatedAt?: string }[],
): Promise<void> {
  const store: SessionStore = await openSessionStore(options);
  try {
    for (const { id, texts, ...rest } of sessions) await store.saveSession({ sessionId: id, ...rest, conversation: { messages: messages(...texts) }, model: "claude-sonnet-4", provider: "anthropic" });
  } finally {
    await store.close();
  }
}

/** The password of a postgres:// URL, to check it appears nowhere. */
export const passwordOf = (url: string): string => decodeURIComponent(new URL(url).password);

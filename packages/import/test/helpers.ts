import { openSessionStore, type Message, type Session, type SessionStore } from "@victor/core";
import { makeTempDir, type TempDir } from "@victor/test-utils";
import Database from "better-sqlite3";
import { cpSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { importSessionsFromTools, type ImportOptions, type ImportReport } from "../src/index.js";

export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
export const CLAUDE = join(FIXTURES, "claude", "projects");
export const CODEX = join(FIXTURES, "codex");
export const GEMINI = join(FIXTURES, "gemini", "tmp");
/** The folder every fixture session says it ran in. */
export const PROJECT = "/home/dev/demo-app";

const temps: TempDir[] = [];
const stores: SessionStore[] = [];

export function tempDir(): TempDir {
  const dir = makeTempDir("victor-import-test-");
  temps.push(dir);
  return dir;
}

export async function cleanup(): Promise<void> {
  while (stores.length > 0) await stores.pop()!.close();
  while (temps.length > 0) temps.pop()!.remove();
}

/** A copy of a fixture folder, to append to or damage. */
export function copyFixtures(from: string): string {
  const dir = tempDir().join("source");
  cpSync(from, dir, { recursive: true });
  return dir;
}

/** Runs an import the way `victor import` does, from the fixtures' project folder, into `dbPath`. */
export function runImport(dbPath: string, options: Partial<ImportOptions>): Promise<ImportReport> {
  return importSessionsFromTools({ cwd: PROJECT, env: { HOME: "/nonexistent-home" }, dbPath, ...options });
}

export async function openStore(dbPath: string): Promise<SessionStore> {
  const store = await openSessionStore({ dbPath });
  stores.push(store);
  return store;
}

export async function session(dbPath: string, id: string): Promise<Session> {
  return (await openStore(dbPath)).getSession(id);
}

/** The rows as stored, with their row ids (to see which ones a re-run rewrote). */
/** Every stored row of a session, in order; context_epoch is null for the rows in the model's context. */
export function rows(dbPath: string, sessionId: string): { id: number; position: number; role: string; content: string | null; context_epoch: number | null }[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare(`SELECT id, position, role, content, context_epoch FROM messages WHERE session_id = ? ORDER BY position`).all(sessionId) as never;
  } finally {
    db.close();
  }
}

/** Every tool call is answered by a tool message after it, and every tool message answers an earlier call. */
export function toolPairsIntact(messages: readonly Message[]): boolean {
  const answered = new Set<unknown>();
  const called = new Set<unknown>();
  for (const m of messages) {
    if (Array.isArray(m.tool_calls)) for (const call of m.tool_calls as { id: string }[]) called.add(call.id);
    if (m.role !== "tool") continue;
    // A result answers a call made before it.
    if (!called.has(m.tool_call_id)) return false;
    answered.add(m.tool_call_id);
  }
  return [...called].every((id) => answered.has(id));
}

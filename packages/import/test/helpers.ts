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
export function rows(dbPath: string, sessionId: string): { id: number; position: number; role: string; content: string | null }[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare(`SELECT id, position, role, content FROM messages WHERE session_id = ? ORDER BY position`).all(sessionId) as never;
  } finally {
    db.close();
  }
}

/** Every tool call is followed, before the next user turn, by a tool message answering it. */
export function toolPairsIntact(messages: readonly Message[]): boolean {
  const answered = new Set(messages.filter((m) => m.role === "tool").map((m) => m.tool_call_id));
  const called = new Set(messages.flatMap((m) => (Array.isArray(m.tool_calls) ? m.tool_calls.map((c: { id: string }) => c.id) : [])));
  let lastCall = -1;
  for (const [i, m] of messages.entries()) {
    if (Array.isArray(m.tool_calls) && m.tool_calls.length > 0) lastCall = i;
    if (m.role === "tool" && (lastCall === -1 || !called.has(m.tool_call_id))) return false;
  }
  return [...called].every((id) => answered.has(id));
}

import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSessionStore, type Message, type SaveSessionInput, type SessionStore } from "../src/index.js";

/** Temp dirs made by a test file; call cleanupTempDirs() in afterEach. */
const dirs: string[] = [];

export function tempDir(prefix = "victor-core-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

export function cleanupTempDirs(): void {
  while (dirs.length > 0) rmSync(dirs.pop()!, { recursive: true, force: true });
}

const stores: SessionStore[] = [];

/** A store on a fresh DB file in a fresh temp dir (closed by cleanupStores). */
export async function freshStore(dbPath?: string): Promise<{ store: SessionStore; dbPath: string; dir: string }> {
  const dir = tempDir();
  const path = dbPath ?? join(dir, "project.db");
  const store = await openSessionStore({ dbPath: path });
  stores.push(store);
  return { store, dbPath: path, dir };
}

export async function openTracked(dbPath: string, opts: { readonly?: boolean } = {}): Promise<SessionStore> {
  const store = await openSessionStore({ dbPath, ...opts });
  stores.push(store);
  return store;
}

export async function cleanupStores(): Promise<void> {
  while (stores.length > 0) await stores.pop()!.close();
}

export async function cleanupAll(): Promise<void> {
  await cleanupStores();
  cleanupTempDirs();
}

/** Raw read-only access for checking what is really on disk. */
export function raw<T>(dbPath: string, fn: (db: Database.Database) => T): T {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

export function messageRows(dbPath: string, sessionId: string): { id: number; position: number; role: string; content: string | null }[] {
  return raw(dbPath, (db) =>
    db.prepare(`SELECT id, position, role, content FROM messages WHERE session_id = ? ORDER BY position`).all(sessionId) as {
      id: number;
      position: number;
      role: string;
      content: string | null;
    }[],
  );
}

export function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

export function msgs(...texts: string[]): Message[] {
  return texts.map((content, i) => ({ role: i % 2 === 0 ? "user" : "assistant", content }));
}

export function input(messages: Message[], extra: Partial<SaveSessionInput> = {}): SaveSessionInput {
  return { conversation: { messages }, model: "gpt-test", provider: "openai", ...extra };
}

/**
 * A store with one session whose messages table was then rebuilt the way the Python Victor 0.7+
 * does it (its own columns, ours renamed aside): what the store must refuse with the way back.
 */
export async function storeRebuiltByPythonVictor(): Promise<string> {
  const { store, dbPath } = await freshStore();
  await store.saveSession(input(msgs("q"), { sessionId: "s" }));
  await store.close();
  const db = new Database(dbPath);
  db.exec(`DROP TABLE messages_new; ALTER TABLE messages RENAME TO messages_old;
    CREATE TABLE messages (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, role TEXT NOT NULL, content TEXT NOT NULL, timestamp TIMESTAMP NOT NULL);`);
  db.close();
  return dbPath;
}

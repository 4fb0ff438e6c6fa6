import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeTempDir, type TempDir } from "@victor/test-utils";
import { openSessionStore, type SessionStore } from "@victor/core";
import type { FileResult, MigrateOptions } from "../src/index.js";
import { migrateLegacySessions } from "../src/index.js";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const EXAMPLES = join(REPO_ROOT, "examples", "legacy-sessions");
export const EXAMPLE_HOME_SESSIONS = join(EXAMPLES, "home", ".victor", "sessions");
export const EXAMPLE_PROJECT_SESSIONS = join(EXAMPLES, "project", ".victor", "sessions");
export const BIN = join(REPO_ROOT, "packages", "migrate", "bin", "victor-migrate.js");

const temps: TempDir[] = [];
const stores: SessionStore[] = [];

export function tempDir(): TempDir {
  const dir = makeTempDir("victor-migrate-test-");
  temps.push(dir);
  return dir;
}

export async function openStore(dbPath: string, readonly = false): Promise<SessionStore> {
  const store = await openSessionStore({ dbPath, readonly });
  stores.push(store);
  return store;
}

export async function cleanup(): Promise<void> {
  while (stores.length > 0) await stores.pop()!.close();
  while (temps.length > 0) temps.pop()!.remove();
}

export interface Message {
  role: string;
  content: string;
  name: string | null;
  tool_calls: unknown;
  tool_call_id: string | null;
  [key: string]: unknown;
}

export const msg = (role: string, content: string, extra: Partial<Message> = {}): Message => ({ role, content, name: null, tool_calls: null, tool_call_id: null, ...extra });

/** A legacy session object as the Python releases wrote it. */
export function legacy(id: string, overrides: Record<string, unknown> = {}, messages?: Message[]): Record<string, unknown> {
  const msgs = messages ?? [msg("system", "You are Victor."), msg("user", `Hello from ${id}`), msg("assistant", "Hi there.")];
  return {
    metadata: {
      session_id: id,
      created_at: "2025-12-15T14:30:45.123456",
      updated_at: "2025-12-15T15:00:00",
      model: "claude-sonnet-4-20250514",
      provider: "anthropic",
      profile: "default",
      message_count: msgs.length,
      title: "",
      tags: [],
    },
    conversation: { system_prompt: "You are Victor.", system_added: true, messages: msgs, max_history: 100000 },
    conversation_state: null,
    tool_selection_stats: null,
    ...overrides,
  };
}

/** Writes a legacy file (2-space indent, not ASCII-escaped, like Python's json.dump). */
export function writeLegacy(dir: string, name: string, content: unknown): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" || Buffer.isBuffer(content) ? content : JSON.stringify(content, null, 2));
  return path;
}

/** Runs the migration and collects every file's result by path. */
export async function migrate(options: MigrateOptions): Promise<{ report: Awaited<ReturnType<typeof migrateLegacySessions>>; files: Map<string, FileResult> }> {
  const files = new Map<string, FileResult>();
  const report = await migrateLegacySessions({
    ...options,
    onProgress: (event) => {
      if (event.kind === "file") files.set(event.result.path, event.result);
      options.onProgress?.(event);
    },
  });
  return { report, files };
}

/** sha256 of every file under a folder (recursively), to show sources were not touched. */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const info = statSync(path);
      if (info.isDirectory()) walk(path);
      else out[path] = `${info.size}:${info.mtimeMs}:${createHash("sha256").update(readFileSync(path)).digest("hex")}`;
    }
  };
  walk(dir);
  return out;
}

/** The digest of expected.json: sha256 of the compact JSON of [[role, content], …]. */
export function messageDigest(messages: readonly { role: string; content?: unknown }[]): string {
  return createHash("sha256")
    .update(JSON.stringify(messages.map((m) => [m.role, m.content])))
    .digest("hex");
}

export const PYTHON_FIXTURES = join(REPO_ROOT, "packages", "migrate", "test", "fixtures", "python-victor");
export const GUIDE_DB = join(PYTHON_FIXTURES, "guide-sqlite-session-persistence.db");
export const STORE_DB = join(PYTHON_FIXTURES, "conversation-store-head.db");
export const MIXED_DB = join(PYTHON_FIXTURES, "guide-then-conversation-store.db");
/** The guide's schema as its April 2026 code wrote it (786528d3, "v0.6.1: Architecture cleanup"). */
export const GUIDE_APRIL_DB = join(PYTHON_FIXTURES, "guide-2026-04-05.db");
/** The ConversationStore schema the day it took over project.db (19a3e7ad), before its lineage columns. */
export const STORE_APRIL_DB = join(PYTHON_FIXTURES, "conversation-store-2026-04-23.db");
/** The zone the fixtures were generated in (see their README). */
export const FIXTURE_ZONE = "America/Chicago";

/** A temp project (with .git) holding a copy of a Python Victor database as .victor/project.db. */
export function pythonProject(fixture: string): { dir: TempDir; dbPath: string } {
  const dir = tempDir();
  mkdirSync(dir.join(".git"));
  mkdirSync(dir.join(".victor"));
  const dbPath = dir.join(".victor", "project.db");
  copyFileSync(fixture, dbPath);
  return { dir, dbPath };
}

/**
 * sha256 of every real table's content (rows serialised, order-independent), by table name:
 * proves that tables Victor does not own are byte-for-byte what they were.
 */
export function tableChecksums(dbPath: string): Record<string, string> {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name`).pluck().all() as string[];
    const out: Record<string, string> = {};
    for (const table of tables) {
      const rows = (db.prepare(`SELECT * FROM "${table.replace(/"/g, '""')}"`).raw().all() as unknown[][]).map((row) =>
        JSON.stringify(row.map((v) => (Buffer.isBuffer(v) ? `blob:${v.toString("hex")}` : typeof v === "bigint" ? `int:${v}` : v))),
      );
      out[table] = createHash("sha256").update(rows.sort().join("\n")).digest("hex");
    }
    return out;
  } finally {
    db.close();
  }
}

export function sqlAll<T>(dbPath: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

import type Database from "better-sqlite3";
import { readFileSync } from "node:fs";
import { migrationsFolder } from "../migrations-folder.js";
import { hasTable, tableColumns } from "./python-schema.js";

/**
 * Which schema a database file is at, in a few cheap queries and without drizzle: what every open
 * checks first (connection.ts), and all the cold-start list checks (quick-list.ts).
 */

export const MIGRATIONS_TABLE = "__drizzle_migrations";

/** Columns of ours that must be there; a `sessions` table without them belongs to another tool. */
export const REQUIRED_COLUMNS: Record<"sessions" | "messages", string[]> = {
  sessions: ["id", "name", "provider", "model", "profile", "data", "created_at", "updated_at", "message_count", "revision"],
  messages: ["id", "session_id", "position", "role", "content", "tool_calls", "extra"],
};

let cachedNewest: number | undefined;
/** The newest migration this build ships, read once from the small journal (cheap, for start-up). */
function newestKnownMigration(): number {
  if (cachedNewest === undefined) {
    const journal = JSON.parse(readFileSync(`${migrationsFolder("sqlite")}/meta/_journal.json`, "utf8")) as { entries: { when: number }[] };
    cachedNewest = Math.max(...journal.entries.map((e) => e.when));
  }
  return cachedNewest;
}

/** When the newest migration applied to this database was made (drizzle's folderMillis); null for none. */
export function lastAppliedMigration(sqlite: Database.Database): number | null {
  if (!hasTable(sqlite, MIGRATIONS_TABLE)) return null;
  const row = sqlite.prepare(`SELECT max(created_at) AS last FROM ${MIGRATIONS_TABLE}`).get() as { last: number | null };
  return row.last === null ? null : Number(row.last);
}

/** One cheap query for the usual case: our tables exist and every shipped migration is applied. */
export function isUpToDate(sqlite: Database.Database): boolean {
  return lastAppliedMigration(sqlite) === newestKnownMigration();
}

/**
 * Whether our messages table is still ours: the Python Victor 0.7+ rebuilds any `messages` table of
 * another shape when it starts in a project (see connection.ts, assertMessagesIntact).
 */
export function messagesIntact(sqlite: Database.Database): boolean {
  const columns = tableColumns(sqlite, "messages");
  return REQUIRED_COLUMNS.messages.every((c) => columns.includes(c));
}

#!/usr/bin/env node
// The floor of a cold `victor sessions list`: a Node program that opens the database with
// better-sqlite3 (the same pragmas), reads the 10 newest sessions' summaries and the count, and
// prints a plain table. Usage: node floor-list.mjs DB
import Database from "better-sqlite3";

const db = new Database(process.argv[2]);
db.pragma("busy_timeout = 10000");
db.pragma("foreign_keys = ON");
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
const rows = db
  .prepare(`SELECT id, name, model, provider, message_count, updated_at FROM sessions ORDER BY updated_at DESC, id DESC LIMIT 10`)
  .raw()
  .all();
const total = db.prepare(`SELECT count(*) FROM sessions`).pluck().get();
const widths = [0, 1, 2, 3, 4, 5].map((i) => Math.max(...rows.map((r) => String(r[i]).length)));
for (const row of rows) process.stdout.write(`${row.map((v, i) => String(v).padEnd(widths[i])).join("  ")}\n`);
process.stdout.write(`Showing ${rows.length} of ${total} sessions.\n`);
db.close();

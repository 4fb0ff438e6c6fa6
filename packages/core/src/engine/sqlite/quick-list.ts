import type Database from "better-sqlite3";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { toSummary } from "../../domain/session-data.js";
import type { SessionSummary } from "../../domain/types.js";
import { isUpToDate, messagesIntact } from "./schema-version.js";
import { SUMMARY_SELECT, toSummaryRow, type SummarySqlRow } from "./summary-query.js";

export interface SessionPage {
  /** Newest first (by last update), as SessionStore.listSessions returns them. */
  sessions: SessionSummary[];
  /** How many sessions the file holds. */
  total: number;
}

/**
 * The newest sessions of an SQLite store file and how many there are, read the way a cold
 * `victor sessions list` needs it: better-sqlite3 alone, one read transaction. Loading drizzle, the
 * migrator and the engine cost a cold start more than the whole read (measured: ~45 ms against ~3 ms).
 *
 * Only a file already at this build's schema is read here. Anything else — no such file, the Python
 * Victor's or another program's database, an older release's that needs migrating, a missing driver,
 * a lock that outlasts the wait — gives null, and the caller opens the store itself: that open
 * migrates, or says exactly what is wrong.
 */
export function readNewestSessions(path: string, limit: number): SessionPage | null {
  const driver = loadDriver();
  if (!driver) return null;
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new driver.Database(path, { fileMustExist: true, ...driver.options });
    // What openConnection sets before anything else: another process may be writing.
    sqlite.pragma("busy_timeout = 10000");
    if (!isUpToDate(sqlite) || !messagesIntact(sqlite)) return null;
    const list = sqlite.prepare(`${SUMMARY_SELECT} ORDER BY updated_at DESC, id DESC LIMIT ?`) as Database.Statement<[number], SummarySqlRow>;
    const count = sqlite.prepare(`SELECT count(*) FROM sessions`).pluck() as Database.Statement<[], number>;
    // One read transaction: the page and the count of the same moment. BEGIN and COMMIT by hand:
    // better-sqlite3's transaction() prepares five statements for it on first use.
    sqlite.exec("BEGIN");
    const rows = list.all(limit < 0 ? -1 : limit);
    const total = count.get()!;
    sqlite.exec("COMMIT");
    return { sessions: rows.map((row) => toSummary(toSummaryRow(row))), total };
  } catch {
    return null;
  } finally {
    sqlite?.close();
  }
}

const requireCjs = createRequire(import.meta.url);

/**
 * better-sqlite3, and where its compiled addon is. Without that path it asks the `bindings` package,
 * which loads two more packages and tries a dozen places (measured: as long as the read itself);
 * every install builds or downloads the addon to build/Release, and elsewhere `bindings` still finds it.
 */
function loadDriver(): { Database: typeof Database; options: Database.Options } | null {
  try {
    const entry = requireCjs.resolve("better-sqlite3");
    const addon = join(dirname(entry), "..", "build", "Release", "better_sqlite3.node");
    return { Database: requireCjs(entry) as typeof Database, options: existsSync(addon) ? { nativeBinding: addon } : {} };
  } catch {
    return null;
  }
}

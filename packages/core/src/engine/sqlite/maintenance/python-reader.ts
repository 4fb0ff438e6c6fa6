import Database from "better-sqlite3";
import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { victorObjectNames } from "../connection.js";
import { MIGRATIONS_TABLE } from "../schema-version.js";
import { DatabaseOpenError, IncompatibleSchemaError } from "../../../domain/errors.js";
import { toVictorError } from "../errors.js";
import { looksLikeSqlite } from "./backup.js";
import { readPythonSessions } from "./python-rows.js";
import { hasTable, inspectPythonTables } from "../python-schema.js";
import { planPythonUpgrade } from "./python-upgrade.js";
import type { PythonTables } from "./types.js";
import type { PythonDatabaseReader } from "./types.js";

/** WAL mode is recorded in the header (bytes 18 and 19 are 2). */
function isWalFile(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const header = Buffer.alloc(20);
    return readSync(fd, header, 0, 20, 0) === 20 && header[18] === 2;
  } finally {
    closeSync(fd);
  }
}

/**
 * Where an earlier in-place upgrade put the Python Victor's session tables, so a file that was
 * upgraded already (another project's, say) can still be imported from.
 */
function upgradedTables(sqlite: Database.Database): PythonTables | null {
  if (!hasTable(sqlite, "python_upgrades")) return null;
  const row = sqlite.prepare(`SELECT renamed FROM python_upgrades ORDER BY id DESC LIMIT 1`).get() as { renamed: string } | undefined;
  if (!row) return null;
  const renamed = JSON.parse(row.renamed) as { type: string; from: string; to: string }[];
  const to = (name: string) => renamed.find((r) => r.type === "table" && r.from === name)?.to;
  const sessions = to("sessions");
  const messages = to("messages");
  return sessions && messages ? { sessions, messages, providers: "providers" } : null;
}

/**
 * Opens a Python Victor database to read its sessions, never changing it: read-only, and when it is
 * in WAL mode with nobody using it (no -shm file), from a private copy — opening it in place would
 * leave -wal/-shm files next to it.
 */
export function openPythonDatabase(path: string): PythonDatabaseReader {
  if (!existsSync(path)) throw new DatabaseOpenError(path, "the file does not exist");
  if (!looksLikeSqlite(path)) throw new IncompatibleSchemaError(path, "the file is not an SQLite database");
  let copyDir: string | null = null;
  let sqlite: Database.Database | undefined;
  try {
    let readPath = path;
    if (isWalFile(path) && !existsSync(`${path}-shm`)) {
      copyDir = mkdtempSync(join(tmpdir(), "victor-python-db-"));
      readPath = join(copyDir, "python.db");
      copyFileSync(path, readPath);
      if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${readPath}-wal`);
    }
    sqlite = new Database(readPath, { readonly: copyDir === null, fileMustExist: true });
    const original = inspectPythonTables(sqlite);
    const upgraded = original ? null : upgradedTables(sqlite);
    const info = original ?? (upgraded ? inspectPythonTables(sqlite, upgraded) : null);
    if (!info) {
      if (hasTable(sqlite, MIGRATIONS_TABLE)) {
        throw new IncompatibleSchemaError(path, "it is this Victor's own session database, not the Python Victor's; use victor sessions export and import to copy sessions between such files");
      }
      throw new IncompatibleSchemaError(path, "it has no Python Victor sessions table");
    }
    const db = sqlite;
    const dir = copyDir;
    return {
      path,
      info,
      plan: original ? planPythonUpgrade(db, info, victorObjectNames()) : null,
      sessions: () => readPythonSessions(db, info),
      close: () => {
        db.close();
        if (dir) rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    sqlite?.close();
    if (copyDir) rmSync(copyDir, { recursive: true, force: true });
    throw toVictorError(error, path);
  }
}

import { DatabaseLockedError, DatabaseOpenError, IncompatibleSchemaError, VictorError } from "../../domain/errors.js";

/** Maps better-sqlite3's SqliteError (by its code) and fs errors to typed errors naming the file. */
export function toVictorError(error: unknown, dbPath: string): Error {
  if (error instanceof VictorError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return error instanceof Error ? error : new Error(String(error));
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return new DatabaseLockedError(dbPath, { cause: error });
  if (code.startsWith("SQLITE_READONLY") || code === "EACCES" || code === "EROFS" || code === "EPERM") {
    return new DatabaseOpenError(dbPath, "it is read-only here. Check the file's and folder's permissions, or use --db with a writable file.", {
      cause: error,
    });
  }
  if (code === "SQLITE_NOTADB") return new IncompatibleSchemaError(dbPath, "the file is not an SQLite database");
  if (code.startsWith("SQLITE_CORRUPT")) {
    return new DatabaseOpenError(dbPath, "the file is damaged. Restore it from a backup (e.g. the one victor-migrate made) or move it aside.", {
      cause: error,
    });
  }
  if (code.startsWith("SQLITE_CANTOPEN") || code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR") {
    return new DatabaseOpenError(dbPath, "the file cannot be opened or created. Check that the folder exists and is writable.", { cause: error });
  }
  if (code === "SQLITE_FULL" || code === "ENOSPC") return new DatabaseOpenError(dbPath, "the disk is full. Free some space; nothing was saved.", { cause: error });
  return error instanceof Error ? error : new Error(String(error));
}

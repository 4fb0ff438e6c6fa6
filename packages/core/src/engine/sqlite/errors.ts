import { statfsSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseLockedError, DatabaseOpenError, IncompatibleSchemaError, diskFullError, VictorError } from "../../domain/errors.js";

/** Below this much free space an I/O error of SQLite is taken for a full disk. */
const NEARLY_FULL_BYTES = 1024 * 1024;

/** Free bytes on the file system of `path`'s folder; Infinity when that cannot be told. */
export function freeBytesNear(path: string): number {
  try {
    const { bavail, bsize } = statfsSync(dirname(path));
    return Number(bavail) * Number(bsize);
  } catch {
    return Infinity;
  }
}

/**
 * Maps better-sqlite3's SqliteError (by its code) and fs errors to typed errors naming the file. A
 * full disk shows up as SQLITE_FULL, or as an I/O error (SQLITE_IOERR_WRITE with ENOSPC underneath,
 * which the driver does not report): an I/O error with (almost) no space left is a full disk.
 */
export function toVictorError(error: unknown, dbPath: string, freeBytes: (path: string) => number = freeBytesNear): Error {
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
  if (code === "SQLITE_FULL" || code === "ENOSPC" || (code.startsWith("SQLITE_IOERR") && freeBytes(dbPath) < NEARLY_FULL_BYTES)) return diskFullError(dbPath, error);
  return error instanceof Error ? error : new Error(String(error));
}

import { isPostgresUrl } from "./paths.js";

/**
 * Typed errors of the session store. Each carries the exit code a CLI should use, so binaries need
 * one top-level handler and no string matching. Messages say what happened and what to do next.
 */
export class VictorError extends Error {
  /** 1 = the operation failed, 2 = the user's input was malformed. */
  readonly exitCode: number;

  constructor(message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options?.exitCode ?? 1;
  }
}

export class SessionNotFoundError extends VictorError {
  constructor(readonly sessionId: string) {
    super(`Session not found: ${sessionId}`);
  }
}

export class AmbiguousSessionIdError extends VictorError {
  constructor(
    readonly prefix: string,
    readonly candidates: readonly string[],
  ) {
    const shown = candidates.slice(0, 10).join(", ");
    const more = candidates.length > 10 ? ` and ${candidates.length - 10} more` : "";
    super(`Session id prefix "${prefix}" matches ${candidates.length} sessions: ${shown}${more}. Type more of the id.`);
  }
}

export class InvalidSessionIdError extends VictorError {
  constructor(readonly sessionId: string) {
    super(
      `Invalid session id ${JSON.stringify(sessionId.length > 80 ? `${sessionId.slice(0, 80)}…` : sessionId)}: ` +
        "ids are 1-128 characters of letters, digits, '.', '_', '=' or '-', starting with a letter or digit.",
      { exitCode: 2 },
    );
  }
}

export class InvalidSessionDataError extends VictorError {
  constructor(message: string) {
    super(message, { exitCode: 2 });
  }
}

/** An undo of a session whose context never changed, or whose changes are all undone already. */
export class NothingToUndoError extends VictorError {
  constructor(readonly sessionId: string) {
    super(`Session ${sessionId} has no compaction or other change of its context to undo.`);
  }
}

/** A session row that cannot be decoded (edited by hand, disk damage): named, so the rest stays usable. */
export class DamagedSessionError extends VictorError {
  constructor(
    readonly sessionId: string,
    readonly dbPath: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Session ${sessionId} in ${dbPath} cannot be read: its stored data is damaged (${detail}).`, options);
  }
}

export class SessionExistsError extends VictorError {
  constructor(readonly sessionId: string) {
    super(`Session ${sessionId} already exists.`);
  }
}

/**
 * A save whose base moved: the session was saved, deleted, or deleted and created again (another
 * incarnation, e.g. a re-import) by someone else since this store loaded or saved it.
 */
export class SessionConflictError extends VictorError {
  constructor(
    readonly sessionId: string,
    readonly expectedRevision: number,
    readonly actualRevision: number | null,
    readonly recreated = false,
  ) {
    super(
      actualRevision === null
        ? `Session ${sessionId} was deleted by another process since it was loaded. Save it as a new session (/save --new).`
        : recreated
          ? `Session ${sessionId} was deleted and created again by another process since it was loaded (an import, say): it holds another conversation now. ` +
            "Save as a new session (/save --new) or overwrite it (/save --force)."
          : `Session ${sessionId} was saved by another process since it was loaded (revision ${actualRevision}, expected ${expectedRevision}). ` +
            "Save as a new session (/save --new) or overwrite the other save (/save --force).",
    );
  }
}

/**
 * A session this role may read but not change: on a server, a teammate's session they shared
 * (row-level security lets only the owner write it). Forking gives the user a copy of their own.
 */
export class SessionNotWritableError extends VictorError {
  constructor(
    readonly sessionId: string,
    /** The id is taken by a session this role cannot even read (another user's private one). */
    readonly hidden = false,
  ) {
    super(
      hidden
        ? `Session id ${sessionId} is taken on this server by another user's session, which you cannot read. Save under another id (in a chat: /save --new).`
        : `Session ${sessionId} is not yours to change: it belongs to another user of this server, who shared it with you. ` +
            `Fork it to carry on with a copy of your own (victor sessions fork ${sessionId}; in a chat: /save --new).`,
    );
  }
}

export class DatabaseLockedError extends VictorError {
  constructor(
    readonly dbPath: string,
    options?: { cause?: unknown },
  ) {
    super(
      // Starts with the words SQLite and the guide use, so a user can look the message up.
      `database is locked: ${dbPath} is held by another process and stayed locked past the wait limit. ` +
        "Close other Victor instances or tools using it (an open sqlite3 shell, a psql transaction), then try again.",
      options,
    );
  }
}

export class IncompatibleSchemaError extends VictorError {
  constructor(
    readonly dbPath: string,
    detail: string,
  ) {
    super(
      `${dbPath} is not a Victor session database this version can use (${detail}). Nothing was changed. ` +
        (isPostgresUrl(dbPath) ? "Point Victor at another server with --db postgres://… or VICTOR_DB_URL." : "Point Victor at another file with --db PATH or VICTOR_DB_PATH."),
    );
  }
}

/**
 * The database was written by the Python Victor (its own `sessions` table beside the tables of its
 * other features). Nothing is changed; `victor-migrate` upgrades it in place.
 */
export class PythonVictorDatabaseError extends VictorError {
  constructor(
    readonly dbPath: string,
    /** Which of the Python Victor's session schemas, in words. */
    readonly schemaName: string,
    readonly sessionCount: number,
  ) {
    super(
      `${dbPath} was written by the Python Victor: ${sessionCount} session${sessionCount === 1 ? "" : "s"} (${schemaName}). ` +
        "Nothing was changed. Run victor-migrate to upgrade it in place (a verified backup is made first; the tables of its other features stay as they are).",
    );
  }
}

export class DatabaseOpenError extends VictorError {
  constructor(
    readonly dbPath: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot use the session database ${dbPath}: ${detail}`, options);
  }
}

/** A backup cannot be written where it was asked for (the database itself is fine and untouched). */
export class BackupPathError extends VictorError {
  constructor(
    readonly backupPath: string,
    detail: string,
  ) {
    super(`Cannot write the backup to ${backupPath}: ${detail}`);
  }
}

/** Opened read-only, the file has none of Victor's tables yet (a write would create them). */
export class NoSessionsYetError extends DatabaseOpenError {
  constructor(dbPath: string) {
    super(dbPath, "it holds no Victor sessions yet");
  }
}

/** An operation one engine has and the other has not (SQLite's file maintenance on a PostgreSQL server). */
export class UnsupportedOnEngineError extends VictorError {
  constructor(
    readonly location: string,
    detail: string,
  ) {
    super(`${detail} (${location}).`);
  }
}

/** `.victor/config.json` is not what it should be: named, with what is wrong (exit 2, like bad input). */
export class InvalidConfigError extends VictorError {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`Invalid Victor config ${path}: ${detail}`, { exitCode: 2 });
  }
}

/** The disk (or the server's) is full: the same words on every engine. */
export function diskFullError(location: string, cause: unknown): DatabaseOpenError {
  return new DatabaseOpenError(location, "the disk is full. Free some space; nothing was saved.", { cause });
}

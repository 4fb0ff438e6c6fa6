import { DatabaseOpenError } from "../../domain/errors.js";
import type { Engine, WriteOptions } from "../engine.js";
import { SqliteAccess } from "./access.js";
import { openConnection, type Connection, type OpenConnectionOptions } from "./connection.js";
import { toVictorError } from "./errors.js";

/**
 * The SQLite engine: one better-sqlite3 connection. better-sqlite3 is synchronous and cannot run
 * an async function inside its transaction(), so transactions are manual (BEGIN IMMEDIATE for a
 * write, BEGIN for a consistent read, then COMMIT or ROLLBACK) and serialised per connection by
 * an async queue: while one awaits between primitives, no other call can run SQL on the
 * connection (it would land inside the open transaction). Between processes, SQLite's own write
 * lock serialises (busy_timeout, then DatabaseLockedError).
 */
export class SqliteEngine implements Engine {
  readonly kind = "sqlite" as const;
  private readonly access: SqliteAccess;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(readonly conn: Connection) {
    this.access = new SqliteAccess(conn);
  }

  get location(): string {
    return this.conn.path;
  }

  get readonly(): boolean {
    return this.conn.readonly;
  }

  /** Runs `fn` when every call queued before it has finished (whatever their outcome). */
  serial<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(async () => {
      if (this.closed) throw new DatabaseOpenError(this.conn.path, "the store was closed");
      try {
        return await fn();
      } catch (error) {
        throw toVictorError(error, this.conn.path);
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  read<T>(fn: (tx: SqliteAccess) => Promise<T>): Promise<T> {
    return this.serial(() => this.inTransaction("BEGIN", fn));
  }

  write<T>(fn: (tx: SqliteAccess) => Promise<T>, _options?: WriteOptions): Promise<T> {
    return this.serial(() => {
      if (this.conn.readonly) throw new DatabaseOpenError(this.conn.path, "it was opened read-only");
      return this.inTransaction("BEGIN IMMEDIATE", fn);
    });
  }

  /** Runs `fn` with the raw connection, in the queue (maintenance: backups, checks). */
  withConnection<T>(fn: (conn: Connection, access: SqliteAccess) => Promise<T> | T): Promise<T> {
    return this.serial(() => fn(this.conn, this.access));
  }

  private async inTransaction<T>(begin: "BEGIN" | "BEGIN IMMEDIATE", fn: (tx: SqliteAccess) => Promise<T>): Promise<T> {
    const { sqlite } = this.conn;
    sqlite.exec(begin);
    try {
      const result = await fn(this.access);
      this.access.flushIndex();
      sqlite.exec("COMMIT");
      return result;
    } catch (error) {
      this.access.discardIndex();
      if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
      throw error;
    }
  }

  /**
   * Moves what the write-ahead log holds into the database file and empties the log, without waiting
   * for other processes (if one is reading, the pages are copied and the log stays for SQLite to reuse).
   */
  checkpoint(): Promise<void> {
    if (this.conn.readonly) return Promise.resolve();
    return this.serial(() => {
      const { sqlite } = this.conn;
      const wait = sqlite.pragma("busy_timeout", { simple: true }) as number;
      sqlite.pragma("busy_timeout = 0");
      try {
        const [result] = sqlite.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
        if (result?.busy) sqlite.pragma("wal_checkpoint(PASSIVE)");
      } finally {
        sqlite.pragma(`busy_timeout = ${wait}`);
      }
    });
  }

  async close(): Promise<void> {
    await this.serial(() => {
      this.closed = true;
      this.conn.close();
    });
  }
}

export function openSqliteEngine(path: string, options: OpenConnectionOptions = {}): SqliteEngine {
  return new SqliteEngine(openConnection(path, options));
}

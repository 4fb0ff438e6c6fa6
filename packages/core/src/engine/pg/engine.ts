import { sql } from "drizzle-orm";
import { hostname } from "node:os";
import { DatabaseOpenError } from "../../domain/errors.js";
import type { Engine, EngineTransaction, WriteOptions } from "../engine.js";
import { PgAccess } from "./access.js";
import { openPgConnection, type PgConnection, type PgExecutor } from "./connection.js";
import { assertPgSchemaUsable, migratePg } from "./migrate.js";
import { toVictorErrorPg } from "./pg-errors.js";

/** pg_advisory_xact_lock key of exclusive writes (imports), per project: "vimport" in ASCII. */
const EXCLUSIVE_WRITE_LOCK = 0x76696d706f7274;

export interface PgEngineOptions {
  url: string;
  /** The project key every query is limited to. */
  project: string;
  env?: NodeJS.ProcessEnv;
  readonly?: boolean;
  /** How long a write waits for another writer's lock (lock_timeout), in ms. */
  busyTimeoutMs?: number;
}

/**
 * The PostgreSQL engine: a small pool, one transaction per store call (READ COMMITTED; a load is
 * one REPEATABLE READ, READ ONLY snapshot). Writers lock the session row they change, so saves of
 * one session queue up instead of overwriting each other; an import also takes a per-project
 * advisory lock, so its decisions (ledger, free ids) cannot race another import's. A wait past
 * lock_timeout, a deadlock or a serialization failure is a DatabaseLockedError.
 */
export class PgEngine implements Engine {
  readonly kind = "postgres" as const;
  private closed = false;
  private readonly machine = hostname();

  constructor(
    private readonly connection: PgConnection,
    private readonly project: string,
    readonly readonly: boolean,
  ) {}

  get location(): string {
    return this.connection.target;
  }

  read<T>(fn: (tx: EngineTransaction) => Promise<T>): Promise<T> {
    return this.transaction((tx) => fn(this.access(tx, false)), { readOnly: true });
  }

  write<T>(fn: (tx: EngineTransaction) => Promise<T>, options: WriteOptions = {}): Promise<T> {
    if (this.readonly) return Promise.reject(new DatabaseOpenError(this.location, "it was opened read-only"));
    return this.transaction(async (tx) => {
      if (options.exclusive) await tx.execute(sql`SELECT pg_advisory_xact_lock(${EXCLUSIVE_WRITE_LOCK}::bigint # hashtext(${this.project}))`);
      return fn(this.access(tx, true));
    });
  }

  /** The access module inside one transaction (push/pull use its sync ledger too). */
  access(tx: PgExecutor, write: boolean): PgAccess {
    return new PgAccess(tx, { project: this.project, machine: this.machine, write });
  }

  async transaction<T>(fn: (tx: PgExecutor) => Promise<T>, options: { readOnly?: boolean } = {}): Promise<T> {
    if (this.closed) throw new DatabaseOpenError(this.location, "the store was closed");
    const config = options.readOnly ? ({ isolationLevel: "repeatable read", accessMode: "read only" } as const) : undefined;
    try {
      return await this.connection.db.transaction((tx) => fn(tx), config);
    } catch (error) {
      throw toVictorErrorPg(error, this.location);
    }
  }

  async checkpoint(): Promise<void> {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.connection.pool.end();
  }
}

/** Connects (lazily: the first query opens a connection), then migrates, or checks the schema when read-only. */
export async function openPgEngine(options: PgEngineOptions): Promise<PgEngine> {
  const connection = openPgConnection({ url: options.url, env: options.env, lockTimeoutMs: options.busyTimeoutMs });
  try {
    if (options.readonly) await assertPgSchemaUsable(connection.pool, connection.target);
    else await migratePg(connection.pool, connection.target);
  } catch (error) {
    await connection.pool.end();
    throw error;
  }
  return new PgEngine(connection, options.project, options.readonly ?? false);
}

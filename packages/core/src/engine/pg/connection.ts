import { existsSync, readFileSync } from "node:fs";
import { isIP } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import type { ConnectionOptions } from "node:tls";
import { drizzle, type NodePgDatabase, type NodePgQueryResultHKT } from "drizzle-orm/node-postgres";
import type { PgDatabase } from "drizzle-orm/pg-core";
import pg from "pg";
import { DatabaseOpenError } from "../../domain/errors.js";
import { resolvePassword } from "./pgpass.js";
import * as schema from "./schema.js";
import { isLoopbackHost, parsePgUrl, redactUrl, type PgTarget } from "./url.js";

export type PgDb = NodePgDatabase<typeof schema>;

/** A pool's drizzle handle or a transaction's: the access module's queries run on either. */
export type PgExecutor = PgDatabase<NodePgQueryResultHKT, typeof schema>;

export interface PgConnectOptions {
  /** postgres://user@host:port/database?sslmode=…; libpq's PG* variables fill the rest. */
  url: string;
  /** Where PG* variables are read; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Where ~/.pgpass and ~/.postgresql/root.crt are looked for; default the user's home. */
  homeDir?: string;
  /** Connections the pool may open (default 4: one CLI process runs one thing at a time). */
  maxConnections?: number;
  /** How long a write waits for another writer's lock before DatabaseLockedError (default 10 s, as on SQLite). */
  lockTimeoutMs?: number;
}

export interface PgConnection {
  pool: pg.Pool;
  db: PgDb;
  /** The URL without its password: for messages (see redactUrl). */
  target: string;
  /** The server, role and database as libpq resolves them (`postgres://role@host:port/db`): a sync ledger's name for it. */
  server: string;
}

/** A transaction left open by a hung or killed client would hold its locks; the server ends it. */
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;

function readFile(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new DatabaseOpenError(path, `the ${what} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
}

/**
 * TLS settings by libpq's sslmode, with one rule of our own: a server that is not on this machine
 * is reached over TLS unless sslmode=disable says otherwise (allow/prefer would fall back to clear
 * text, which sends chats and the password over the network). A Unix socket never uses TLS.
 */
export function tlsOptions(target: PgTarget, homeDir: string): false | ConnectionOptions {
  if (target.host.startsWith("/")) return false;
  const local = isLoopbackHost(target.host);
  const clientCertificate: ConnectionOptions = {
    ...(target.sslcert ? { cert: readFile(target.sslcert, "client certificate (sslcert)") } : {}),
    ...(target.sslkey ? { key: readFile(target.sslkey, "client key (sslkey)") } : {}),
  };
  const rootCertificate = (): ConnectionOptions => {
    if (target.sslrootcert === "system") return {};
    const path = target.sslrootcert ?? join(homeDir, ".postgresql", "root.crt");
    if (target.sslrootcert === null && !existsSync(path)) {
      throw new DatabaseOpenError(path, `sslmode=${target.sslmode} needs the server's root certificate: put it there or name it with sslrootcert=…`);
    }
    return { ca: readFile(path, "root certificate (sslrootcert)") };
  };
  switch (target.sslmode) {
    case "disable":
      return false;
    case "allow":
    case "prefer":
      return local ? false : { rejectUnauthorized: false, ...clientCertificate };
    case "require":
      // As in libpq: encryption without verification, unless a root certificate is named.
      if (target.sslrootcert === null) return { rejectUnauthorized: false, ...clientCertificate };
      return { ...rootCertificate(), checkServerIdentity: () => undefined, ...clientCertificate };
    case "verify-ca":
      return { ...rootCertificate(), checkServerIdentity: () => undefined, ...clientCertificate };
    case "verify-full":
      // A name is checked through SNI's servername; an IP address may not be one (Node warns,
      // RFC 6066): the driver then checks the certificate against the address it connected to.
      return { ...rootCertificate(), ...(isIP(target.host) === 0 ? { servername: target.host } : {}), ...clientCertificate };
  }
}

/**
 * pg's pool leaves a client that failed to connect as it is: after a failed login (no password to
 * give) its socket stays open, and the server keeps a backend waiting for it until
 * authentication_timeout (a minute), which also blocks DROP DATABASE. This client closes its
 * socket on any error of its connection.
 */
class ClosingClient extends pg.Client {
  constructor(config?: pg.ClientConfig) {
    super(config);
    this.connection.on("error", () => this.connection.stream.destroy());
  }
}

/** The driver's settings for a URL; reads certificate files, connects to nothing. */
export function pgPoolConfig(options: PgConnectOptions): pg.PoolConfig {
  const env = options.env ?? process.env;
  const home = options.homeDir ?? homedir();
  const target = parsePgUrl(options.url, env);
  const lockTimeout = options.lockTimeoutMs ?? 10_000;
  return {
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    // A function: asked only when the server wants a password, so no ~/.pgpass read otherwise.
    password: (() => resolvePassword(target, env, home)) as () => string,
    ssl: tlsOptions(target, home),
    max: options.maxConnections ?? 4,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: (target.connectTimeoutSeconds ?? 10) * 1000,
    application_name: target.applicationName ?? "victor",
    Client: ClosingClient as unknown as new () => pg.ClientBase,
    // jit=off: these are short queries, and JIT compiling one whose estimate looks large cost
    // 650 ms where running it took 0.3 ms (measured on a 200,000-message search).
    options: `-c lock_timeout=${lockTimeout} -c idle_in_transaction_session_timeout=${IDLE_IN_TRANSACTION_TIMEOUT_MS} -c jit=off`,
  };
}

/** A pool and its drizzle handle; nothing is sent to the server until the first query. */
export function openPgConnection(options: PgConnectOptions): PgConnection {
  const config = pgPoolConfig(options);
  const pool = new pg.Pool(config);
  // An idle connection closed by the server (restart, timeout) is an 'error' event; unhandled, it
  // would end the process. The pool drops that connection, and the next query opens another (or
  // fails, and is reported there).
  pool.on("error", () => {});
  const server = `postgres://${encodeURIComponent(config.user!)}@${config.host}:${config.port}/${encodeURIComponent(config.database!)}`;
  return { pool, db: drizzle({ client: pool, schema }), target: redactUrl(options.url), server };
}

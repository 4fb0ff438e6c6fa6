import { DrizzleQueryError } from "drizzle-orm";
import { DatabaseLockedError, DatabaseOpenError, diskFullError, IncompatibleSchemaError, VictorError } from "../../domain/errors.js";

/** What the driver puts on a server error (pg's DatabaseError) or a socket error. */
interface DriverError {
  code?: unknown;
  message?: unknown;
  hint?: unknown;
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"]);

/**
 * Maps PostgreSQL's SQLSTATEs (and the driver's connection errors) to the typed errors the SQLite
 * engine throws, so callers handle both engines alike. `target` names the server without its
 * password (see redactUrl). Errors that mean something only in context (a unique violation on
 * insert = the session exists) are mapped where they happen; everything else unchanged.
 */
export function toVictorErrorPg(thrown: unknown, target: string): Error {
  if (thrown instanceof VictorError) return thrown;
  const error = driverError(thrown);
  const { code, message, hint } = (error ?? {}) as DriverError;
  const text = typeof message === "string" ? message : String(error);
  const withHint = typeof hint === "string" && hint !== "" ? `${text}. ${hint}` : text;
  const open = (detail: string) => new DatabaseOpenError(target, detail, { cause: error });
  if (typeof code !== "string") {
    if (/password must be a string/i.test(text)) {
      return open("the server asks for a password and none was given. Put it in the URL, in PGPASSWORD or in ~/.pgpass.");
    }
    if (/does not support SSL/i.test(text)) {
      return open("the server does not offer TLS. Use a server with TLS, or add sslmode=disable to the URL on a network you trust.");
    }
    return error instanceof Error ? error : new Error(text);
  }
  if (NETWORK_CODES.has(code)) return open(`the server cannot be reached (${code}). Check the host and port, and that PostgreSQL is running.`);

  switch (code) {
    // lock_not_available (lock_timeout), serialization_failure, deadlock_detected
    case "55P03":
    case "40001":
    case "40P01":
      return new DatabaseLockedError(target, { cause: error });
    case "53100": // disk_full
      return diskFullError(target, error);
    case "53200": // out_of_memory
      return open("the server is out of memory. Try again later; nothing was saved.");
    case "53300": // too_many_connections
      return open("the server has no free connection. Try again later, or ask its administrator to raise max_connections.");
    case "28P01": // invalid_password
    case "28000": // invalid_authorization_specification
      return open(`${text}. Check the user and password (in the URL, PGPASSWORD or ~/.pgpass).`);
    case "3D000": // invalid_catalog_name
      return open(`${text}. Create it first (createdb), or name another database in the URL.`);
    case "42501": // insufficient_privilege
      return open(`${withHint}. Ask the server's administrator for access: GRANT victor_writer (or victor_reader) TO your role.`);
    case "25006": // read_only_sql_transaction
      return open("the server is read-only (a standby?). Connect to the primary server to save.");
    case "57P01": // admin_shutdown
    case "57P02": // crash_shutdown
    case "57P03": // cannot_connect_now
      return open("the server is shutting down or starting up. Try again in a moment.");
    case "3F000": // invalid_schema_name
    case "42P01": // undefined_table
      return new IncompatibleSchemaError(target, "it has no Victor tables (schema victor) yet: open it once as a role that may create them");
    case "0A000": // feature_not_supported
    case "58P01": // undefined_file: an extension's files are missing
      return open(`${text}. Victor needs PostgreSQL 14 or newer with the unaccent extension (package postgresql-contrib).`);
  }
  if (code.startsWith("08")) return open(`the connection failed (${text}).`);
  return error instanceof Error ? error : new Error(text);
}

/**
 * Drizzle wraps the driver's error with the query and its parameters: chat text, never to be
 * shown in an error message. The driver's own error says what went wrong.
 */
function driverError(error: unknown): unknown {
  return error instanceof DrizzleQueryError && error.cause !== undefined ? error.cause : error;
}

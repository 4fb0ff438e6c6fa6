import { DrizzleQueryError } from "drizzle-orm";
import { DatabaseLockedError, DatabaseOpenError, diskFullError, IncompatibleSchemaError, VictorError } from "../../domain/errors.js";

/** What the driver puts on a server error (pg's DatabaseError) or a socket error. */
interface DriverError {
  code?: unknown;
  message?: unknown;
  hint?: unknown;
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"]);

/** Node's codes for a server certificate that TLS verification (sslmode verify-ca / verify-full) rejects. */
const CERTIFICATE_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_SIGNATURE_FAILURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

const TLS_CERTIFICATE_ADVICE =
  "Name the root certificate that signed it with sslrootcert=… (default ~/.postgresql/root.crt), and connect to the host name the certificate was made for.";

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
    // pg's words when the answer to its TLS request is neither yes nor no: not a PostgreSQL server.
    if (/error establishing an SSL connection/i.test(text)) {
      return open("the TLS connection could not be set up: what answers at that host and port does not speak PostgreSQL's protocol. Check the host and port.");
    }
    if (/connection timeout|timeout exceeded when trying to connect/i.test(text)) {
      return open(
        "the server did not answer in time. Check the host and port, and that PostgreSQL is running there; on a slow network, wait longer with connect_timeout=SECONDS in the URL (default 10).",
      );
    }
    if (/Connection terminated unexpectedly/i.test(text)) {
      return open("the server closed the connection unexpectedly. Check that the host and port are a PostgreSQL server's, then try again.");
    }
    return error instanceof Error ? error : new Error(text);
  }
  if (NETWORK_CODES.has(code)) return open(`the server cannot be reached (${code}). Check the host and port, and that PostgreSQL is running.`);
  if (CERTIFICATE_CODES.has(code)) return open(`its TLS certificate is not trusted (${text}). ${TLS_CERTIFICATE_ADVICE}`);
  if (code.startsWith("ERR_SSL_") || code === "EPROTO") return open(`the TLS connection could not be set up (${text}). Check the host and port, and the server's TLS settings.`);

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
      // Also what a victor_reader gets for a write: both ways out are named.
      return open(`${withHint}. Your role may not do this here: ask the server's administrator for GRANT victor_writer TO your role (victor_reader only reads).`);
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

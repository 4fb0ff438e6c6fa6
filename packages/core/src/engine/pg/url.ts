import { userInfo } from "node:os";
import { VictorError } from "../../domain/errors.js";
import { isPostgresUrl } from "../../domain/paths.js";

export type SslMode = "disable" | "allow" | "prefer" | "require" | "verify-ca" | "verify-full";
const SSL_MODES: readonly SslMode[] = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];

/** Where to connect, from a postgres:// URL completed by libpq's environment variables. */
export interface PgTarget {
  /** A host name, an IP address, or the directory of a Unix socket (starts with "/"). */
  host: string;
  port: number;
  database: string;
  user: string;
  /** The password written in the URL, if any; see resolvePassword for the other sources. */
  urlPassword: string | null;
  sslmode: SslMode;
  sslrootcert: string | null;
  sslcert: string | null;
  sslkey: string | null;
  applicationName: string | null;
  connectTimeoutSeconds: number | null;
}

export class InvalidDatabaseUrlError extends VictorError {
  constructor(url: string, detail: string) {
    super(`Invalid PostgreSQL URL ${redactUrl(url)}: ${detail}. Expected postgres://USER@HOST:PORT/DATABASE?sslmode=…`, { exitCode: 2 });
  }
}

/** Query parameters a libpq URL may carry that mean something here. */
const KNOWN_PARAMETERS = new Set(["host", "port", "dbname", "user", "password", "sslmode", "sslrootcert", "sslcert", "sslkey", "application_name", "connect_timeout"]);


/**
 * Parses a postgres:// (or postgresql://) URL the way libpq does: query parameters override the
 * URL's parts, and PGHOST, PGPORT, PGDATABASE, PGUSER, PGSSLMODE, PGSSLROOTCERT, PGSSLCERT,
 * PGSSLKEY and PGAPPNAME fill what the URL leaves out. Unknown parameters are refused (a mistyped
 * `sslmode` must not quietly fall back to another one).
 */
export function parsePgUrl(url: string, env: NodeJS.ProcessEnv = process.env): PgTarget {
  if (!isPostgresUrl(url)) throw new InvalidDatabaseUrlError(url, "it must start with postgres:// or postgresql://");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidDatabaseUrlError(url, "it is not a valid URL (a password with / ? # @ or : must be percent-encoded)");
  }
  const params = parsed.searchParams;
  for (const key of params.keys()) {
    if (!KNOWN_PARAMETERS.has(key)) throw new InvalidDatabaseUrlError(url, `unknown parameter "${key}"`);
  }
  const param = (key: string): string | null => {
    const value = params.get(key);
    return value === null || value === "" ? null : value;
  };
  const decode = (value: string): string => {
    try {
      return decodeURIComponent(value);
    } catch {
      throw new InvalidDatabaseUrlError(url, "it has a malformed %-escape");
    }
  };
  const orEnv = (value: string | null, name: string): string | null => value ?? (env[name] ? env[name]! : null);

  const urlHost = parsed.hostname === "" ? null : decode(parsed.hostname).replace(/^\[(.*)\]$/, "$1");
  const host = orEnv(param("host") ?? urlHost, "PGHOST") ?? "localhost";
  if (host.includes(",")) throw new InvalidDatabaseUrlError(url, "several hosts are not supported");
  const portText = orEnv(param("port") ?? (parsed.port === "" ? null : parsed.port), "PGPORT") ?? "5432";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InvalidDatabaseUrlError(url, `the port "${portText}" is not a port number`);
  const user = orEnv(param("user") ?? (parsed.username === "" ? null : decode(parsed.username)), "PGUSER") ?? userInfo().username;
  const path = parsed.pathname.replace(/^\//, "");
  const database = orEnv(param("dbname") ?? (path === "" ? null : decode(path)), "PGDATABASE") ?? user;
  const sslmode = orEnv(param("sslmode"), "PGSSLMODE") ?? "prefer";
  if (!SSL_MODES.includes(sslmode as SslMode)) throw new InvalidDatabaseUrlError(url, `sslmode must be one of ${SSL_MODES.join(", ")}`);
  const timeout = param("connect_timeout");
  const connectTimeoutSeconds = timeout === null ? null : Number(timeout);
  if (connectTimeoutSeconds !== null && !(connectTimeoutSeconds >= 0)) throw new InvalidDatabaseUrlError(url, "connect_timeout must be a number of seconds");

  const urlPassword = param("password") ?? (parsed.password === "" ? null : decode(parsed.password));
  return {
    host,
    port,
    database,
    user,
    urlPassword,
    sslmode: sslmode as SslMode,
    sslrootcert: orEnv(param("sslrootcert"), "PGSSLROOTCERT"),
    sslcert: orEnv(param("sslcert"), "PGSSLCERT"),
    sslkey: orEnv(param("sslkey"), "PGSSLKEY"),
    applicationName: orEnv(param("application_name"), "PGAPPNAME"),
    connectTimeoutSeconds,
  };
}

/**
 * The URL without its password (in the user part or as `password=`), for messages and logs.
 * Works on text, not on a parsed URL: a password with an unencoded "@" or "/" would make a parser
 * take part of it for the host or path. Everything up to the last "@" before the query is the
 * user part; only the user name is kept.
 */
export function redactUrl(url: string): string {
  const parts = /^([a-z][a-z0-9+.-]*:\/\/)([^?#]*)(.*)$/is.exec(url);
  const [scheme, authorityAndPath, tail] = parts ? [parts[1]!, parts[2]!, parts[3]!] : ["", "", url];
  const at = authorityAndPath.lastIndexOf("@");
  const withoutPassword = at < 0 ? authorityAndPath : `${authorityAndPath.slice(0, at).split(":")[0]}${authorityAndPath.slice(at)}`;
  const query = tail.replace(/([?&])password=[^&#]*&?/gi, "$1").replace(/[?&](#|$)/, "$1");
  return `${scheme}${withoutPassword}${query}`;
}

/** This machine: TLS would protect nothing, so sslmode prefer/allow connect in clear here only. */
export function isLoopbackHost(host: string): boolean {
  if (host.startsWith("/") || host.startsWith("@")) return true; // a Unix socket
  const bare = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  if (bare === "localhost" || bare === "::1" || bare === "0:0:0:0:0:0:0:1") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

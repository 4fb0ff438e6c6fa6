import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openPgConnection, pgPoolConfig, tlsOptions } from "../../src/engine/pg/connection.js";
import { resolvePassword } from "../../src/engine/pg/pgpass.js";
import { InvalidDatabaseUrlError, isLoopbackHost, parsePgUrl, redactUrl } from "../../src/engine/pg/url.js";
import { DatabaseOpenError } from "../../src/domain/errors.js";
import { cleanupTempDirs, tempDir } from "../helpers.js";
import { describePg, pgUrl } from "./helpers.js";

afterEach(cleanupTempDirs);

describe("parsePgUrl", () => {
  it("reads every part, percent-decoding user, password and database", () => {
    expect(parsePgUrl("postgresql://al%40ce:p%3A%2Fss@db.example.com:6543/my%20db?sslmode=verify-full&application_name=x", {})).toEqual({
      host: "db.example.com",
      port: 6543,
      database: "my db",
      user: "al@ce",
      urlPassword: "p:/ss",
      sslmode: "verify-full",
      sslrootcert: null,
      sslcert: null,
      sslkey: null,
      applicationName: "x",
      connectTimeoutSeconds: null,
    });
  });

  it("fills what the URL leaves out from PG* variables, libpq's defaults after that", () => {
    const env = { PGHOST: "envhost", PGPORT: "5555", PGUSER: "envuser", PGDATABASE: "envdb", PGSSLMODE: "require", PGAPPNAME: "app" };
    expect(parsePgUrl("postgres://", env)).toMatchObject({ host: "envhost", port: 5555, user: "envuser", database: "envdb", sslmode: "require", applicationName: "app" });
    expect(parsePgUrl("postgres://u@h/d", env)).toMatchObject({ host: "h", port: 5555, user: "u", database: "d", sslmode: "require" });
    expect(parsePgUrl("postgres://u@h", {})).toMatchObject({ host: "h", port: 5432, database: "u", sslmode: "prefer", urlPassword: null });
  });

  it("query parameters win over the URL's parts; a Unix socket directory is a host", () => {
    expect(parsePgUrl("postgres:///victor?host=/var/run/postgresql&port=5433&user=me&password=pw&dbname=other", {})).toMatchObject({
      host: "/var/run/postgresql",
      port: 5433,
      user: "me",
      urlPassword: "pw",
      database: "other",
    });
    expect(parsePgUrl("postgres://u@[::1]:5432/d", {}).host).toBe("::1");
  });

  it.each([
    ["mysql://u@h/d", /must start with postgres/],
    ["postgres://u@h/d?sslmod=disable", /unknown parameter "sslmod"/],
    ["postgres://u@h/d?sslmode=off", /sslmode must be one of/],
    ["postgres://u@h:99999/d", /not a valid URL|not a port/],
    ["postgres://u@h/d?port=abc", /not a port number/],
    ["postgres://u@h1,h2/d", /several hosts/],
    ["postgres://u@h/d?connect_timeout=soon", /connect_timeout/],
  ])("refuses %s", (url, message) => {
    expect(() => parsePgUrl(url, {})).toThrow(InvalidDatabaseUrlError);
    expect(() => parsePgUrl(url, {})).toThrow(message);
  });

  it("a refused URL's message has no password and exit code 2", () => {
    const error = (() => {
      try {
        parsePgUrl("postgres://alice:hunter2@h/d?sslmode=bogus", {});
      } catch (e) {
        return e as InvalidDatabaseUrlError;
      }
    })();
    expect(error!.exitCode).toBe(2);
    expect(error!.message).not.toContain("hunter2");
    expect(error!.message).toContain("postgres://alice@h/d?sslmode=bogus");
  });
});

describe("redactUrl", () => {
  it.each([
    ["postgres://alice:hunter2@db.example.com:5432/victor?sslmode=require", "postgres://alice@db.example.com:5432/victor?sslmode=require"],
    ["postgres://alice@db/victor?password=hunter2&sslmode=disable", "postgres://alice@db/victor?sslmode=disable"],
    ["postgres://db/victor", "postgres://db/victor"],
    ["postgres://db/victor?sslmode=require&password=hunter2", "postgres://db/victor?sslmode=require"],
    ["postgres://db/victor?password=hunter2", "postgres://db/victor"],
    ["postgresql://alice:hunter2@/victor?host=/var/run/postgresql", "postgresql://alice@/victor?host=/var/run/postgresql"],
    ["postgres://alice:p@ss/word@db:5432/victor", "postgres://alice@db:5432/victor"],
    ["postgres://alice:hunter2@db:notaport/victor?password=x", "postgres://alice@db:notaport/victor"],
  ])("%s → %s", (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted);
    expect(redactUrl(url)).not.toMatch(/hunter2|p@ss|password=/);
  });
});

describe("TLS policy", () => {
  const tls = (url: string) => tlsOptions(parsePgUrl(url, {}), tempDir());

  it("loopback and Unix sockets: clear text unless TLS is asked for", () => {
    expect(isLoopbackHost("localhost")).toBe(true);
    expect(isLoopbackHost("127.0.0.1")).toBe(true);
    expect(isLoopbackHost("127.1.2.3")).toBe(true);
    expect(isLoopbackHost("::1")).toBe(true);
    expect(isLoopbackHost("/var/run/postgresql")).toBe(true);
    expect(isLoopbackHost("10.0.0.5")).toBe(false);
    expect(isLoopbackHost("db.example.com")).toBe(false);
    expect(isLoopbackHost("127.0.0.1.example.com")).toBe(false);
    expect(tls("postgres://u@localhost/d")).toBe(false);
    expect(tls("postgres://u@127.0.0.1/d?sslmode=allow")).toBe(false);
    expect(tls("postgres://u@127.0.0.1/d?sslmode=require")).toEqual({ rejectUnauthorized: false });
    expect(tls("postgres:///d?host=/var/run/postgresql&sslmode=require")).toBe(false);
  });

  it("another host: TLS unless sslmode=disable says otherwise (prefer and allow never fall back to clear text)", () => {
    expect(tls("postgres://u@db.example.com/d")).toEqual({ rejectUnauthorized: false });
    expect(tls("postgres://u@db.example.com/d?sslmode=allow")).toEqual({ rejectUnauthorized: false });
    expect(tls("postgres://u@db.example.com/d?sslmode=require")).toEqual({ rejectUnauthorized: false });
    expect(tls("postgres://u@db.example.com/d?sslmode=disable")).toBe(false);
    expect(tlsOptions(parsePgUrl("postgres://u@db.example.com/d", { PGSSLMODE: "disable" }), tempDir())).toBe(false);
  });

  it("verify-ca / verify-full check the server against a root certificate", () => {
    const home = tempDir();
    const ca = join(home, "ca.pem");
    writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nstub\n-----END CERTIFICATE-----\n");
    const full = tlsOptions(parsePgUrl(`postgres://u@db.example.com/d?sslmode=verify-full&sslrootcert=${ca}`, {}), home);
    expect(full).toMatchObject({ ca: expect.stringContaining("stub"), servername: "db.example.com" });
    expect(full).not.toHaveProperty("rejectUnauthorized");
    const caOnly = tlsOptions(parsePgUrl(`postgres://u@db.example.com/d?sslmode=verify-ca&sslrootcert=${ca}`, {}), home) as { checkServerIdentity: () => unknown };
    expect(caOnly.checkServerIdentity()).toBeUndefined();
    expect(tlsOptions(parsePgUrl("postgres://u@db.example.com/d?sslmode=verify-full&sslrootcert=system", {}), home)).toEqual({ servername: "db.example.com" });
    expect(() => tlsOptions(parsePgUrl("postgres://u@db.example.com/d?sslmode=verify-full", {}), home)).toThrow(/root certificate/);
  });

  it("pool settings: lock timeout, idle transaction timeout, application name; no password until asked", () => {
    const config = pgPoolConfig({ url: "postgres://u:pw@localhost/d", env: {}, homeDir: tempDir(), lockTimeoutMs: 1234 });
    expect(config).toMatchObject({ host: "localhost", user: "u", database: "d", ssl: false, max: 4, application_name: "victor" });
    expect(config.options).toContain("lock_timeout=1234");
    expect(config.options).toContain("idle_in_transaction_session_timeout=");
    expect(typeof config.password).toBe("function");
    expect(JSON.stringify(config)).not.toContain("pw");
  });
});

describe("password sources (libpq order: URL, PGPASSWORD, password file)", () => {
  const target = parsePgUrl("postgres://alice@db.example.com:5432/victor", {});

  it("URL first, then PGPASSWORD, then the first matching line of the password file", () => {
    const home = tempDir();
    const file = join(home, ".pgpass");
    writeFileSync(file, ["# comment", "other.host:*:*:*:nope", "db.example.com:5432:victor:bob:nope", "*:5432:vict*:alice:nope-no-glob", "db.example.com:*:*:alice:pa\\:ss:word", "*:*:*:*:fallback", ""].join("\n"));
    chmodSync(file, 0o600);
    expect(resolvePassword(parsePgUrl("postgres://alice:fromurl@db.example.com/victor", {}), { PGPASSWORD: "env" }, home)).toBe("fromurl");
    expect(resolvePassword(target, { PGPASSWORD: "env" }, home)).toBe("env");
    expect(resolvePassword(target, {}, home)).toBe("pa:ss:word");
    expect(resolvePassword(parsePgUrl("postgres://carol@elsewhere/x", {}), {}, home)).toBe("fallback");
    expect(resolvePassword(target, { PGPASSFILE: join(home, "missing") }, home)).toBeUndefined();
  });

  it("a password file others can read is not used, and the error says how to fix it", () => {
    const home = tempDir();
    writeFileSync(join(home, ".pgpass"), "*:*:*:*:secret\n");
    chmodSync(join(home, ".pgpass"), 0o644);
    expect(() => resolvePassword(target, {}, home)).toThrow(/chmod 600/);
  });
});

describePg("connecting to the real server", () => {
  const connections: { pool: pg.Pool }[] = [];
  let base: URL;

  beforeAll(() => {
    base = new URL(pgUrl!);
  });

  afterAll(async () => {
    await Promise.all(connections.map((c) => c.pool.end()));
  });

  const connect = (url: string, env: NodeJS.ProcessEnv, homeDir = tempDir()) => {
    const connection = openPgConnection({ url, env, homeDir });
    connections.push(connection);
    return connection;
  };
  const withoutPassword = () => {
    const url = new URL(base);
    url.password = "";
    return url.toString();
  };

  it("logs in with PGPASSWORD, or with ~/.pgpass (without the driver's deprecation warning)", async () => {
    const viaEnv = connect(withoutPassword(), { PGPASSWORD: decodeURIComponent(base.password) });
    expect((await viaEnv.pool.query("SELECT current_user AS u")).rows[0].u).toBe(base.username);
    const home = tempDir();
    writeFileSync(join(home, ".pgpass"), `${base.hostname}:${base.port || 5432}:*:${base.username}:${decodeURIComponent(base.password)}\n`);
    chmodSync(join(home, ".pgpass"), 0o600);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on("warning", onWarning);
    const viaFile = connect(withoutPassword(), {}, home);
    expect((await viaFile.pool.query("SELECT 1 AS one")).rows[0].one).toBe(1);
    process.off("warning", onWarning);
    expect(warnings.filter((w) => /pgpass/i.test(w))).toEqual([]);
  });

  it("a wrong password is a DatabaseOpenError naming where passwords come from, without the password", async () => {
    const url = new URL(base);
    url.password = "wrong-password-xyz";
    const { pool } = connect(url.toString(), {});
    const { toVictorErrorPg } = await import("../../src/engine/pg/pg-errors.js");
    const error = toVictorErrorPg(await pool.query("SELECT 1").catch((e: unknown) => e), redactUrl(url.toString()));
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect(error.message).toMatch(/password authentication failed.*PGPASSWORD or ~\/\.pgpass/);
    expect(error.message).not.toContain("wrong-password-xyz");
  });
});

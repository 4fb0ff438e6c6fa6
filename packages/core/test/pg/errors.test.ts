import { readFileSync } from "node:fs";
import net from "node:net";
import tls from "node:tls";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openSessionStore } from "../../src/index.js";
import type { PgConnection } from "../../src/engine/pg/connection.js";
import { toVictorErrorPg } from "../../src/engine/pg/pg-errors.js";
import { DatabaseLockedError, DatabaseOpenError, IncompatibleSchemaError } from "../../src/domain/errors.js";
import { describePg, pgFixture, pgUrl, type PgFixture } from "./helpers.js";
import { input, msgs, pgWrite, storeOn } from "./harness.js";

const target = "postgres://alice@db.example.com/victor";

/** An error as the driver raises it for a server message with this SQLSTATE. */
function serverError(code: string, message: string): pg.DatabaseError {
  const error = new pg.DatabaseError(message, message.length, "error");
  error.code = code;
  return error;
}

describe("SQLSTATE → typed errors (the ones a test server cannot be made to raise)", () => {
  it("disk full (53100) gives the same message as SQLITE_FULL", () => {
    const error = toVictorErrorPg(serverError("53100", "could not extend file: No space left on device"), target);
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect(error.message).toBe(`Cannot use the session database ${target}: the disk is full. Free some space; nothing was saved.`);
  });

  it.each([
    ["53300", DatabaseOpenError, /no free connection/],
    ["53200", DatabaseOpenError, /out of memory/],
    ["25006", DatabaseOpenError, /read-only/],
    ["57P01", DatabaseOpenError, /shutting down/],
    ["08006", DatabaseOpenError, /connection failed/],
    ["58P01", DatabaseOpenError, /unaccent/],
  ])("%s", (code, type, message) => {
    const error = toVictorErrorPg(serverError(code, "server says no"), target);
    expect(error).toBeInstanceOf(type);
    expect(error.message).toMatch(message);
  });

  it("anything else passes through unchanged", () => {
    const original = serverError("22P02", "invalid input syntax");
    expect(toVictorErrorPg(original, target)).toBe(original);
  });
});

/** A self-signed certificate for db.example.com (test only; valid until 2126). */
const tlsFixture = new URL("../fixtures/tls/", import.meta.url);
const serverCertificate = new URL("server.crt", tlsFixture).pathname;

describe("connecting to something that is not a usable PostgreSQL server (real sockets on 127.0.0.1)", () => {
  const servers: net.Server[] = [];
  const sockets: net.Socket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
  });

  /** A server on 127.0.0.1 that does `onConnection` with each client; its port. */
  async function listen(onConnection: (socket: net.Socket) => void): Promise<number> {
    const server = net.createServer((socket) => {
      socket.on("error", () => {});
      sockets.push(socket);
      onConnection(socket);
    });
    servers.push(server);
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    return (server.address() as net.AddressInfo).port;
  }

  /** Says yes to the client's TLS request, then shakes hands with the fixture's certificate (and then says nothing). */
  const tlsServer = () =>
    listen((socket) =>
      socket.once("data", () => {
        socket.write("S");
        new tls.TLSSocket(socket, { isServer: true, key: readFileSync(new URL("server.key", tlsFixture)), cert: readFileSync(serverCertificate) }).on("error", () => {});
      }),
    );

  async function openError(url: string): Promise<Error> {
    const error = await openSessionStore({ url, project: "p" }).then(
      (store) => store.close(),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect((error as Error).message).not.toContain("pw-secret");
    return error as Error;
  }

  it("a certificate TLS verification rejects says so and names sslrootcert, without Node's warning about an IP address as servername", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on("warning", onWarning);
    try {
      const port = await tlsServer();
      const selfSigned = await openError(`postgres://u:pw-secret@127.0.0.1:${port}/d?sslmode=verify-ca&sslrootcert=system`);
      expect(selfSigned.message).toMatch(/^Cannot use the session database postgres:\/\/u@127\.0\.0\.1:\d+\/d\?sslmode=verify-ca&sslrootcert=system: its TLS certificate is not trusted \(self-signed certificate\)\. .*sslrootcert=/);
      const otherName = await openError(`postgres://u:pw-secret@127.0.0.1:${port}/d?sslmode=verify-full&sslrootcert=${serverCertificate}`);
      expect(otherName.message).toMatch(/its TLS certificate is not trusted \(.*127\.0\.0\.1.*\)\. .*the host name the certificate was made for/);
      await new Promise((done) => setImmediate(done));
      expect(warnings.filter((w) => /ServerName/.test(w))).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("something that answers the TLS request but is not PostgreSQL, and a server that never answers", async () => {
    const notPostgres = await listen((socket) => socket.once("data", () => socket.write("HTTP/1.1 400 Bad Request\r\n\r\n")));
    expect((await openError(`postgres://u:pw-secret@127.0.0.1:${notPostgres}/d?sslmode=require`)).message).toMatch(/does not speak PostgreSQL's protocol/);
    const silent = await listen(() => {});
    expect((await openError(`postgres://u:pw-secret@127.0.0.1:${silent}/d?connect_timeout=1`)).message).toMatch(/did not answer in time.*connect_timeout=SECONDS/);
  });
});

describePg("SQLSTATE → typed errors, raised by the real server", () => {
  let fixture: PgFixture;
  let connection: PgConnection;
  const project = "errors-project";

  beforeAll(async () => {
    fixture = await pgFixture();
    connection = await fixture.migrated();
    const store = storeOn(connection, project);
    await store.saveSession(input(msgs("first"), { sessionId: "e1" }));
    await store.saveSession(input(msgs("second"), { sessionId: "e2" }));
  });

  afterAll(async () => {
    await fixture?.cleanup();
  });

  it("a deadlock (40P01) is DatabaseLockedError for the transaction the server cancels", async () => {
    const other = fixture.connect();
    let step!: () => void;
    const bothLocked = new Promise<void>((r) => (step = r));
    let locks = 0;
    const lockBoth = (conn: PgConnection, first: string, second: string) =>
      pgWrite(conn, project, async (access) => {
        await access.head(first);
        if (++locks === 2) step();
        await bothLocked;
        await access.head(second);
      });
    const results = await Promise.allSettled([lockBoth(connection, "e1", "e2"), lockBoth(other, "e2", "e1")]);
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(failures).toHaveLength(1);
    expect(failures[0]!.reason).toBeInstanceOf(DatabaseLockedError);
    expect((failures[0]!.reason as Error).cause).toMatchObject({ code: "40P01" });
  });

  it("a serialization failure (40001) is DatabaseLockedError", async () => {
    const client = await connection.pool.connect();
    try {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
      await client.query(`SELECT revision FROM victor.sessions WHERE project = $1 AND id = 'e1'`, [project]);
      await fixture.connect().pool.query(`UPDATE victor.sessions SET revision = revision + 1 WHERE project = $1 AND id = 'e1'`, [project]);
      const error = await client.query(`UPDATE victor.sessions SET revision = revision + 1 WHERE project = $1 AND id = 'e1'`, [project]).catch((e: unknown) => e);
      expect((error as { code: string }).code).toBe("40001");
      expect(toVictorErrorPg(error, connection.target)).toBeInstanceOf(DatabaseLockedError);
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });

  it("a database without the victor schema is IncompatibleSchemaError (42P01)", async () => {
    const bare = await pgFixture();
    try {
      const raw = bare.connect();
      const error = await storeOn(raw, project).countSessions().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IncompatibleSchemaError);
      expect((error as Error).message).toMatch(/no Victor tables/);
    } finally {
      await bare.cleanup();
    }
  });

  it("an unknown database (3D000) and an unreachable server say what to do", async () => {
    const unknown = new URL(pgUrl!);
    unknown.pathname = "/no_such_database_here";
    const a = fixture.connect(unknown.toString());
    await expect(storeOn(a, project).countSessions()).rejects.toThrow(/does not exist\. Create it first/);
    const closedPort = new URL(pgUrl!);
    closedPort.port = "1";
    const b = fixture.connect(closedPort.toString());
    await expect(storeOn(b, project).countSessions()).rejects.toThrow(/cannot be reached \(ECONNREFUSED\)/);
  });

  it("sslmode=require against a server without TLS is refused with a TLS message", async () => {
    const url = new URL(pgUrl!);
    url.searchParams.set("sslmode", "require");
    const c = fixture.connect(url.toString());
    await expect(storeOn(c, project).countSessions()).rejects.toThrow(/does not offer TLS/);
  });

  it("errors never carry the query's parameters (chat text)", async () => {
    const secret = "my-api-key-sk-123456";
    const error = await pgWrite(connection, project, (access) => access.updateTitle("e1", { name: secret, search_title: secret, data: "{not json", updated_at: "x" })).catch(
      (e: unknown) => e,
    );
    expect((error as { code?: string }).code).toBe("22P02");
    expect(String((error as Error).message)).not.toContain(secret);
  });
});

import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * PostgreSQL for tests. VICTOR_TEST_PG_URL names a role that may create databases and roles
 * (scripts/ci-postgres.sh starts the server and prints such a URL; .ci/run exports it).
 */
export const PG_URL_VARIABLE = "VICTOR_TEST_PG_URL";

/**
 * The server to test against, or null when there is none outside CI (the tests then skip, and the
 * global setup says so once). In CI (`CI` set) a missing server is an error: the tests must run.
 */
export function pgTestUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  const url = env[PG_URL_VARIABLE];
  if (url) return url;
  if (env.CI) throw new Error(`${PG_URL_VARIABLE} is not set, and CI is: the PostgreSQL tests must run. .ci/run sets it from scripts/ci-postgres.sh.`);
  return null;
}

/** The line printed once per test run when the PostgreSQL tests skip. */
export function pgSkipNotice(): string {
  return `PostgreSQL tests SKIPPED: ${PG_URL_VARIABLE} is not set. To run them: export ${PG_URL_VARIABLE}="$(bash scripts/ci-postgres.sh)"`;
}

export interface PgTestRole {
  name: string;
  /** The test database's URL, logged in as this role. */
  url: string;
}

export interface PgTestDatabase {
  /** The fresh database, as the test role (which owns it). */
  url: string;
  name: string;
  /** A new LOGIN role, member of the given roles (e.g. "victor_writer"); dropped by drop(). */
  createLoginRole(prefix: string, memberOf: readonly string[]): Promise<PgTestRole>;
  /** Drops the database (once every connection to it is closed) and the roles made for it. */
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string, credentials?: { user: string; password: string }): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  if (credentials) {
    parsed.username = encodeURIComponent(credentials.user);
    parsed.password = encodeURIComponent(credentials.password);
  }
  return parsed.toString();
}

async function asAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * DROP DATABASE without FORCE: FORCE would fail outright when an autovacuum worker happens to be
 * in the database (a non-superuser may not terminate it), while a plain DROP asks autovacuum to
 * leave and waits up to 5 s. Connections of ours that are still closing are waited for too.
 */
async function dropDatabase(client: pg.Client, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(`DROP DATABASE IF EXISTS ${name}`);
      return;
    } catch (error) {
      // 55006 object_in_use: someone is still connected.
      if ((error as { code?: string }).code !== "55006" || attempt === 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * A database of its own for one test file (so files run in parallel without seeing each other's
 * rows): CREATE DATABASE now, DROP DATABASE in drop(). Roles are server-wide, so
 * their names carry the database's random suffix.
 */
export async function createPgTestDatabase(adminUrl: string): Promise<PgTestDatabase> {
  const suffix = randomBytes(4).toString("hex");
  const name = `victor_t_${suffix}`;
  const roles: string[] = [];
  await asAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  return {
    url: withDatabase(adminUrl, name),
    name,
    async createLoginRole(prefix, memberOf) {
      const role = `${prefix}_${suffix}`;
      const password = randomBytes(12).toString("hex");
      const inRoles = memberOf.length > 0 ? ` IN ROLE ${memberOf.map((r) => pg.escapeIdentifier(r)).join(", ")}` : "";
      await asAdmin(adminUrl, (client) => client.query(`CREATE ROLE ${pg.escapeIdentifier(role)} LOGIN PASSWORD ${pg.escapeLiteral(password)}${inRoles}`));
      roles.push(role);
      return { name: role, url: withDatabase(adminUrl, name, { user: role, password }) };
    },
    async drop() {
      await asAdmin(adminUrl, async (client) => {
        await dropDatabase(client, name);
        for (const role of roles) await client.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(role)}`);
      });
    },
  };
}

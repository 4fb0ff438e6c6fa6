import { afterEach, expect, it } from "vitest";
import { DatabaseOpenError, IncompatibleSchemaError } from "../../src/domain/errors.js";
import { migratePg, newestPgMigration } from "../../src/engine/pg/migrate.js";
import { describePg, pgFixture, type PgFixture } from "./helpers.js";

const fixtures: PgFixture[] = [];
async function fresh(): Promise<PgFixture> {
  const fixture = await pgFixture();
  fixtures.push(fixture);
  return fixture;
}

afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.cleanup()));
});

async function appliedMigrations(fixture: PgFixture): Promise<number> {
  const { pool } = fixture.connect();
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM victor.__drizzle_migrations`);
  return rows[0]!.n;
}

describePg("PostgreSQL migrations", () => {
  it("create schema victor with its tables, search configuration, group roles and policies; a second run is a no-op", async () => {
    const fixture = await fresh();
    const { pool, target } = fixture.connect();
    const first = await migratePg(pool, target);
    expect(first.applied).toBeGreaterThanOrEqual(4);
    const { rows: tables } = await pool.query<{ table: string; rls: boolean }>(
      `SELECT c.relname AS table, c.relrowsecurity AS rls FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'victor' AND c.relkind = 'r' ORDER BY 1`,
    );
    expect(tables).toEqual([
      { table: "__drizzle_migrations", rls: false },
      { table: "legacy_imports", rls: true },
      { table: "messages", rls: true },
      { table: "sessions", rls: true },
      { table: "sync_ledger", rls: true },
    ]);
    const { rows: roles } = await pool.query(`SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname IN ('victor_writer', 'victor_reader') ORDER BY 1`);
    expect(roles).toEqual([
      { rolname: "victor_reader", rolcanlogin: false },
      { rolname: "victor_writer", rolcanlogin: false },
    ]);
    const { rows: vector } = await pool.query(`SELECT victor.search_vector('Café CI/CD naïve') AS v`);
    expect(vector[0].v).toBe("'cafe':1 'cd':3 'ci':2 'naive':4");

    expect(await migratePg(pool, target)).toEqual({ applied: 0 });
    expect(await appliedMigrations(fixture)).toBe(first.applied);
  });

  it("concurrent migrators serialise on the advisory lock: one applies everything, the others find nothing to do", async () => {
    const fixture = await fresh();
    const connections = Array.from({ length: 4 }, () => fixture.connect());
    const results = await Promise.all(connections.map((c) => migratePg(c.pool, c.target)));
    const applied = results.map((r) => r.applied).sort();
    expect(applied.slice(0, 3)).toEqual([0, 0, 0]);
    expect(applied[3]).toBe(await appliedMigrations(fixture));
  });

  it("refuses a database migrated by a newer release, and changes nothing", async () => {
    const fixture = await fresh();
    const { pool, target } = await fixture.migrated();
    await pool.query(`INSERT INTO victor.__drizzle_migrations (hash, created_at) VALUES ('from-the-future', $1)`, [newestPgMigration() + 1]);
    const before = await appliedMigrations(fixture);
    const error = await migratePg(pool, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncompatibleSchemaError);
    expect((error as Error).message).toMatch(/newer Victor release; upgrade Victor to use them\)\. Nothing was changed\. Point Victor at another server with --db postgres:\/\/… or VICTOR_DB_URL\.$/);
    expect((error as Error).message).not.toContain(`:${new URL(fixture.url).password}@`);
    expect(await appliedMigrations(fixture)).toBe(before);
  });

  it("refuses a schema named victor that it did not create, and leaves it alone", async () => {
    const fixture = await fresh();
    const { pool, target } = fixture.connect();
    await pool.query(`CREATE SCHEMA victor; CREATE TABLE victor.sessions (id int)`);
    await expect(migratePg(pool, target)).rejects.toThrow(IncompatibleSchemaError);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'victor'`);
    expect(rows[0].n).toBe(1);
  });

  it("a role that may not create the schema gets an error saying who must run the migrations", async () => {
    const fixture = await fresh();
    const { pool } = fixture.connect();
    await pool.query(`REVOKE CREATE ON DATABASE ${fixture.name} FROM PUBLIC`);
    const stranger = await fixture.createLoginRole("stranger", []);
    const connection = fixture.connect(stranger.url);
    const error = await migratePg(connection.pool, connection.target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect((error as Error).message).toMatch(/need migrating.*may not change them \(permission denied.*Have the owner of schema victor/);
    expect((error as Error).message).not.toContain(new URL(stranger.url).password);
  });
});

import { readMigrationFiles, type MigrationMeta } from "drizzle-orm/migrator";
import { readFileSync } from "node:fs";
import { migrationsFolder } from "../migrations-folder.js";
import type pg from "pg";
import { DatabaseOpenError, IncompatibleSchemaError, NoSessionsYetError } from "../../domain/errors.js";
import { toVictorErrorPg } from "./pg-errors.js";

const MIGRATIONS_FOLDER = migrationsFolder("pg");

/**
 * drizzle's record of applied migrations (same columns as its own migrator's), kept inside schema
 * `victor`: it is created right after the migration that creates the schema, so a schema `victor`
 * without it belongs to someone else and is refused.
 */
const MIGRATIONS_TABLE = "victor.__drizzle_migrations";

/** pg_advisory_xact_lock key: one migrator at a time per database ("victor" in ASCII). */
const MIGRATION_LOCK_KEY = 0x766963746f72;

let cachedMigrations: MigrationMeta[] | undefined;
function knownMigrations(): MigrationMeta[] {
  cachedMigrations ??= readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
  return cachedMigrations;
}

let cachedNewest: number | undefined;
/** The newest migration this build ships, from the small journal (no SQL files read). */
export function newestPgMigration(): number {
  if (cachedNewest === undefined) {
    const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, "utf8")) as { entries: { when: number }[] };
    cachedNewest = Math.max(...journal.entries.map((e) => e.when));
  }
  return cachedNewest;
}

interface SchemaState {
  /** Schema `victor` exists. */
  schema: boolean;
  /** Its migration record exists. */
  tracked: boolean;
  /** created_at of the newest applied migration, or null. */
  last: number | null;
}

async function schemaState(client: pg.ClientBase): Promise<SchemaState> {
  const { rows } = await client.query<{ schema: boolean; tracked: boolean }>(
    `SELECT EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = 'victor') AS schema, to_regclass($1) IS NOT NULL AS tracked`,
    [MIGRATIONS_TABLE],
  );
  const { schema, tracked } = rows[0]!;
  if (!tracked) return { schema, tracked, last: null };
  const applied = await client.query<{ last: string | null }>(`SELECT max(created_at)::text AS last FROM ${MIGRATIONS_TABLE}`);
  const last = applied.rows[0]!.last;
  return { schema, tracked, last: last === null ? null : Number(last) };
}

function assertUsable(state: SchemaState, target: string, newest: number): void {
  if (state.schema && !state.tracked) {
    throw new IncompatibleSchemaError(target, "it has a schema named victor that Victor did not create");
  }
  if (state.last !== null && state.last > newest) {
    throw new IncompatibleSchemaError(target, "its tables were migrated by a newer Victor release; upgrade Victor to use them");
  }
}

/**
 * For a read-only store: the schema must be Victor's and up to date (a reader migrates nothing).
 * None yet is NoSessionsYetError, as for an SQLite file without tables.
 */
export async function assertPgSchemaUsable(pool: pg.Pool, target: string): Promise<void> {
  let client: pg.PoolClient | undefined;
  try {
    client = await pool.connect();
    const state = await schemaState(client);
    assertUsable(state, target, newestPgMigration());
    if (!state.tracked) throw new NoSessionsYetError(target);
    if (state.last !== newestPgMigration()) throw new DatabaseOpenError(target, "its Victor tables need migrating to this release: open it once without read-only");
  } catch (error) {
    throw toVictorErrorPg(error, target);
  } finally {
    client?.release();
  }
}

export interface MigrateResult {
  /** How many migrations this call applied (0: the schema was up to date). */
  applied: number;
}

/**
 * Brings schema `victor` up to date, or refuses a database it cannot use. Up to date costs two
 * small reads. Otherwise every pending migration runs in one transaction holding an advisory lock,
 * so concurrent clients (two terminals, a whole team) serialise: the first applies them, the
 * others wait, then find nothing to do. Needs a role that may create the schema (and the group
 * roles, the first time on a server); others get an error saying who must run it.
 */
export async function migratePg(pool: pg.Pool, target: string): Promise<MigrateResult> {
  const newest = newestPgMigration();
  let client: pg.PoolClient | undefined;
  try {
    client = await pool.connect();
    const before = await schemaState(client);
    assertUsable(before, target, newest);
    if (before.last === newest) return { applied: 0 };

    await client.query("BEGIN");
    try {
      await client.query(`SELECT pg_advisory_xact_lock($1)`, [MIGRATION_LOCK_KEY]);
      const state = await schemaState(client);
      assertUsable(state, target, newest);
      const pending = knownMigrations().filter((m) => m.folderMillis > (state.last ?? -1));
      let tracked = state.tracked;
      for (const migration of pending) {
        for (const statement of migration.sql) if (statement.trim()) await client.query(statement);
        if (!tracked) {
          await client.query(`CREATE TABLE ${MIGRATIONS_TABLE} (id serial PRIMARY KEY, hash text NOT NULL, created_at bigint)`);
          tracked = true;
        }
        await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (hash, created_at) VALUES ($1, $2)`, [migration.hash, migration.folderMillis]);
      }
      await client.query("COMMIT");
      return { applied: pending.length };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
  } catch (error) {
    const { code, message, hint } = error as { code?: unknown; message?: string; hint?: string };
    if (code === "42501") {
      throw new DatabaseOpenError(
        target,
        `its Victor tables need migrating to this release, and the role connected here may not change them (${message}${hint ? `. ${hint}` : ""}). ` +
          "Have the owner of schema victor (whoever set the server up) connect once with this Victor release, then try again.",
        { cause: error },
      );
    }
    throw toVictorErrorPg(error, target);
  } finally {
    client?.release();
  }
}

import Database from "better-sqlite3";
import { createPgTestDatabase, pgTestUrl, type PgTestDatabase } from "@victor/test-utils";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe } from "vitest";
import { openSessionStore, type OpenSessionStoreOptions, type SessionStore } from "../src/index.js";
import { cleanupTempDirs, tempDir } from "./helpers.js";

/**
 * The contract suite's two engines: the same tests run on an SQLite file and on a real
 * PostgreSQL server (VICTOR_TEST_PG_URL, see scripts/ci-postgres.sh). Outside CI without a server
 * the PostgreSQL half skips, and the global setup says so loudly; in CI it must run.
 */

export type EngineName = "sqlite" | "postgres";

/** A message row as stored, for tests that check what a save wrote (not only what loads back). */
export interface StoredMessageRow {
  id: number;
  position: number;
  role: string;
  content: string | null;
  created_at: string;
  /** null: in the model's context; N: left it at the session's context change N. */
  context_epoch: number | null;
  carried_from: number | null;
}

export interface StoreFixture {
  store: SessionStore;
  /** Another store on the same database, as another process opens it. */
  another(options?: Pick<OpenSessionStoreOptions, "readonly">): Promise<SessionStore>;
  /** The rows of one session's messages, in order. */
  messageRows(sessionId: string): Promise<StoredMessageRow[]>;
  /** How many sessions and messages the database holds (for this store). */
  counts(): Promise<{ sessions: number; messages: number }>;
  /** What a worker process needs to open the same database: the options of openSessionStore. */
  openOptions: OpenSessionStoreOptions;
}

export interface EngineUnderTest {
  name: EngineName;
  /** A store on a database of its own (closed after the test). */
  fresh(): Promise<StoreFixture>;
}

const pgUrl = pgTestUrl();

function sqliteEngine(stores: SessionStore[]): EngineUnderTest {
  return {
    name: "sqlite",
    async fresh() {
      const dbPath = join(tempDir(), "project.db");
      const open = async (options: OpenSessionStoreOptions = {}) => {
        const store = await openSessionStore({ dbPath, ...options });
        stores.push(store);
        return store;
      };
      const read = <T>(fn: (db: Database.Database) => T): T => {
        const db = new Database(dbPath, { readonly: true, fileMustExist: true });
        try {
          return fn(db);
        } finally {
          db.close();
        }
      };
      return {
        store: await open(),
        another: open,
        openOptions: { dbPath },
        messageRows: async (sessionId) =>
          read((db) => db.prepare(`SELECT id, position, role, content, created_at, context_epoch, carried_from FROM messages WHERE session_id = ? ORDER BY position`).all(sessionId) as StoredMessageRow[]),
        counts: async () =>
          read((db) => ({
            sessions: db.prepare(`SELECT count(*) FROM sessions`).pluck().get() as number,
            messages: db.prepare(`SELECT count(*) FROM messages`).pluck().get() as number,
          })),
      };
    },
  };
}

function postgresEngine(stores: SessionStore[], database: () => PgTestDatabase): EngineUnderTest {
  const query = async <T extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<T[]> => {
    const client = new pg.Client({ connectionString: database().url });
    await client.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    name: "postgres",
    async fresh() {
      // A project of its own per test: one database per file, no test sees another's sessions.
      const project = `test-${randomBytes(6).toString("hex")}`;
      const url = database().url;
      const open = async (options: OpenSessionStoreOptions = {}) => {
        const store = await openSessionStore({ url, project, ...options });
        stores.push(store);
        return store;
      };
      return {
        store: await open(),
        another: open,
        openOptions: { url, project },
        messageRows: async (sessionId) =>
          (
            await query<{ id: string; position: number; role: string; content: string | null; created_at: string; context_epoch: number | null; carried_from: number | null }>(
              `SELECT id, position, role, content, created_at, context_epoch, carried_from FROM victor.messages WHERE project = $1 AND session_id = $2 ORDER BY position`,
              [project, sessionId],
            )
          ).map((r) => ({ ...r, id: Number(r.id) })),
        counts: async () => {
          const [row] = await query<{ sessions: number; messages: number }>(
            `SELECT (SELECT count(*)::int FROM victor.sessions WHERE project = $1) AS sessions, (SELECT count(*)::int FROM victor.messages WHERE project = $1) AS messages`,
            [project],
          );
          return row!;
        },
      };
    },
  };
}

/**
 * One database per test file, made when its first PostgreSQL describe starts and dropped when the
 * file is done (each test still gets a project of its own): CREATE DATABASE takes a second. The
 * suite runs with isolate: false, so this module is loaded once per worker, not per file: each
 * file's describeEngines registers the drop, and the next file makes a database of its own.
 */
let database: Promise<PgTestDatabase> | undefined;
const fileDatabase = (): Promise<PgTestDatabase> => (database ??= createPgTestDatabase(pgUrl!));
async function dropFileDatabase(): Promise<void> {
  const made = database;
  database = undefined;
  if (made) await (await made).drop();
}

/**
 * Stores opened by a test are closed after it; those opened in a beforeAll (a fixture shared by
 * the tests of a describe) at the end of the describe.
 */
function storesOfThisDescribe(): SessionStore[] {
  const stores: SessionStore[] = [];
  let mark = 0;
  const closeFrom = async (from: number) => {
    while (stores.length > from) await stores.pop()!.close();
  };
  beforeEach(() => {
    mark = stores.length;
  });
  afterEach(() => closeFrom(mark));
  afterAll(() => closeFrom(0));
  return stores;
}

/**
 * Runs `body` once per engine, inside describe("<title> [engine]"). The PostgreSQL run creates one
 * database for the file and drops it at the end.
 */
export function describeEngines(title: string, body: (engine: EngineUnderTest) => void): void {
  // Called at the top of a test file: a hook of the file, run once all its describes are done.
  afterAll(dropFileDatabase);
  describe(`${title} [sqlite]`, () => {
    const stores = storesOfThisDescribe();
    afterAll(cleanupTempDirs);
    body(sqliteEngine(stores));
  });
  describe.skipIf(pgUrl === null)(`${title} [postgres]`, () => {
    let database: PgTestDatabase | undefined;
    beforeAll(async () => {
      database = await fileDatabase();
    });
    const stores = storesOfThisDescribe();
    body(postgresEngine(stores, () => database!));
  });
}

import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { readMigrationFiles, type MigrationMeta } from "drizzle-orm/migrator";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DatabaseOpenError, IncompatibleSchemaError, NoSessionsYetError, PythonVictorDatabaseError } from "../../domain/errors.js";
import { hasTable, inspectPythonTables, tableColumns } from "./python-schema.js";
import { PYTHON_SCHEMA_NAMES } from "./python-schema-names.js";
import { toVictorError } from "./errors.js";
import * as schema from "./schema.js";
import { migrationsFolder } from "../migrations-folder.js";
import { isUpToDate, lastAppliedMigration, messagesIntact, MIGRATIONS_TABLE, REQUIRED_COLUMNS } from "./schema-version.js";

export type Db = BetterSQLite3Database<typeof schema>;

export interface Connection {
  path: string;
  sqlite: Database.Database;
  db: Db;
  readonly: boolean;
  /** Closes the connection and removes what it made (a migrated snapshot's temporary copy). */
  close(): void;
}

const MIGRATIONS_FOLDER = migrationsFolder("sqlite");
const SQLITE_HEADER = "SQLite format 3\0";

function assertSqliteFile(path: string): void {
  const fd = openSync(path, "r");
  try {
    const header = Buffer.alloc(16);
    const read = readSync(fd, header, 0, 16, 0);
    if (read === 0) return; // an empty file is an empty database to SQLite
    if (read < 16 || header.toString("latin1") !== SQLITE_HEADER) {
      throw new IncompatibleSchemaError(path, "the file is not an SQLite database");
    }
  } finally {
    closeSync(fd);
  }
}

/** Creates `.victor/` (0700) and an empty `project.db` (0600): chats hold secrets. */
function createPrivateFile(path: string): void {
  const dir = dirname(path);
  // `recursive` makes both calls race-free: several processes may open a brand-new project at once.
  mkdirSync(dirname(dir), { recursive: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(path, "wx", 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

/**
 * Refuses databases we did not create: the Python Victor's (recognised, with what to do about it), a
 * `sessions` table of another program or shape, or migrations newer than this build knows.
 */
function assertCompatible(conn: Connection, known: MigrationMeta[]): void {
  const { sqlite, path } = conn;
  const ours = hasTable(sqlite, MIGRATIONS_TABLE);
  for (const [table, required] of Object.entries(REQUIRED_COLUMNS)) {
    if (!hasTable(sqlite, table)) continue;
    const columns = tableColumns(sqlite, table);
    const missing = required.filter((c) => !columns.includes(c));
    if (!ours || missing.length > 0) {
      if (table === "messages" && ours) assertMessagesIntact(path, sqlite);
      const python = inspectPythonTables(sqlite);
      if (python) throw new PythonVictorDatabaseError(path, PYTHON_SCHEMA_NAMES[python.kind], python.sessionCount);
      throw new IncompatibleSchemaError(
        path,
        `it has a "${table}" table written by another program (columns: ${columns.join(", ")})`,
      );
    }
  }
  assertNotNewer(sqlite, path, known);
}

/** Refuses a database a newer release migrated past the migrations this build knows. */
export function assertNotNewer(sqlite: Database.Database, path: string, known: MigrationMeta[] = knownMigrations()): void {
  const applied = lastAppliedMigration(sqlite);
  if (applied !== null && applied > (known.at(-1)?.folderMillis ?? 0)) {
    throw new IncompatibleSchemaError(path, "it was written by a newer Victor release; upgrade Victor to use it");
  }
}

/**
 * Applies pending drizzle-kit migrations inside BEGIN IMMEDIATE, recording them in drizzle's own
 * table, so two processes opening a new database at once cannot both run them.
 */
export function applyMigrations(sqlite: Database.Database, migrations: MigrationMeta[] = knownMigrations()): void {
  const pending = (): MigrationMeta[] => {
    const last = lastAppliedMigration(sqlite) ?? -1;
    return migrations.filter((m) => m.folderMillis > last);
  };
  if (pending().length === 0) return;
  sqlite
    .transaction(() => {
      sqlite.exec(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (id INTEGER PRIMARY KEY, hash TEXT NOT NULL, created_at NUMERIC)`);
      const record = sqlite.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (hash, created_at) VALUES (?, ?)`);
      for (const migration of pending()) {
        for (const statement of migration.sql) if (statement.trim()) sqlite.exec(statement);
        record.run(migration.hash, migration.folderMillis);
      }
    })
    .immediate();
}

let cachedMigrations: MigrationMeta[] | undefined;
export function knownMigrations(): MigrationMeta[] {
  cachedMigrations ??= readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
  return cachedMigrations;
}

let cachedNames: Set<string> | undefined;
/** Names of every table, index and trigger Victor's migrations create (FTS5 shadow tables included). */
export function victorObjectNames(): Set<string> {
  if (!cachedNames) {
    cachedNames = new Set();
    for (const statement of knownMigrations().flatMap((m) => m.sql)) {
      const match = /CREATE\s+(VIRTUAL\s+TABLE|TABLE|UNIQUE\s+INDEX|INDEX|TRIGGER)\s+(?:IF\s+NOT\s+EXISTS\s+)?[`"]?(\w+)/i.exec(statement);
      if (!match) continue;
      cachedNames.add(match[2]!);
      if (/VIRTUAL/i.test(match[1]!)) for (const shadow of ["data", "idx", "content", "docsize", "config"]) cachedNames.add(`${match[2]}_${shadow}`);
    }
  }
  return cachedNames;
}

export interface OpenConnectionOptions {
  readonly?: boolean;
  busyTimeoutMs?: number;
}

export function openConnection(path: string, options: OpenConnectionOptions = {}): Connection {
  const readonly = options.readonly ?? false;
  try {
    if (existsSync(path)) assertSqliteFile(path);
    else if (readonly) throw new DatabaseOpenError(path, "the file does not exist");
    else createPrivateFile(path);
  } catch (error) {
    throw toVictorError(error, path);
  }

  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(path, { readonly, fileMustExist: true });
    // busy_timeout first: even switching to WAL may have to wait for another process.
    sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    sqlite.pragma("foreign_keys = ON");
    const opened = sqlite;
    const conn: Connection = { path, sqlite, db: drizzle(sqlite, { schema }), readonly, close: () => opened.close() };
    const upToDate = isUpToDate(sqlite);
    if (upToDate) assertMessagesIntact(path, sqlite);
    // Only reads until the file is known to be ours: a refused file must stay byte-for-byte as it was.
    // One read transaction: another process may be creating the tables right now, and separate
    // reads could see its work half-way ("sessions" there, the migration record not yet).
    if (!upToDate) sqlite.transaction(() => assertCompatible(conn, knownMigrations()))();
    if (!readonly) sqlite.pragma("journal_mode = WAL");
    // WAL + NORMAL: a killed process never loses a committed transaction; only power loss can.
    sqlite.pragma("synchronous = NORMAL");
    // Checkpoint every ~40 MB of WAL instead of 4 MB: a bulk import copies pages to the database in
    // fewer, larger passes (+9% files/s at 20,000 files); a chat's saves are far smaller than either.
    sqlite.pragma("wal_autocheckpoint = 10000");
    if (!upToDate) {
      if (readonly) {
        if (!hasTable(sqlite, "sessions")) throw new NoSessionsYetError(path);
        if (hasTable(sqlite, MIGRATIONS_TABLE)) return openMigratedSnapshot(conn);
      } else {
        applyMigrations(sqlite);
      }
    }
    return conn;
  } catch (error) {
    sqlite?.close();
    throw toVictorError(error, path);
  }
}

/**
 * A read-only open (a dry run, a start-up hint) of a database an older release wrote: this build
 * reads columns that file does not have yet, and a read-only open must leave it as it is. So it
 * reads a private copy made by SQLite itself (VACUUM INTO: consistent even while others write) with
 * the pending migrations applied, removed again on close. Write commands upgrade the file itself.
 */
function openMigratedSnapshot(original: Connection): Connection {
  const dir = mkdtempSync(join(tmpdir(), "victor-snapshot-"));
  const copyPath = join(dir, "project.db");
  let copy: Database.Database | undefined;
  try {
    closeSync(openSync(copyPath, "wx", 0o600));
    original.sqlite.prepare(`VACUUM INTO ?`).run(copyPath);
    original.sqlite.close();
    copy = new Database(copyPath, { fileMustExist: true });
    copy.pragma("foreign_keys = ON");
    applyMigrations(copy);
    const opened = copy;
    return {
      path: original.path,
      sqlite: opened,
      db: drizzle(opened, { schema }),
      readonly: true,
      close: () => {
        opened.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    copy?.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Our messages table has to still be ours: the Python Victor 0.7+ rebuilt any `messages` table of
 * another shape when it started in a project (databases created before migration 0006 guarded
 * against it). Caught here with a way back, instead of an SQL error on the first read.
 */
function assertMessagesIntact(path: string, sqlite: Database.Database): void {
  if (messagesIntact(sqlite)) return;
  throw new IncompatibleSchemaError(
    path,
    "its messages table was rebuilt by another program, as the Python Victor 0.7+ does when it starts in a project; " +
      "restore the backup victor-migrate or victor sessions backup made (victor sessions restore FILE)",
  );
}

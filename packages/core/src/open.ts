import { DatabaseOpenError, InvalidSessionDataError } from "./domain/errors.js";
import { findProjectRoot, resolveStoreLocation, type StoreLocation } from "./domain/paths.js";
import { resolveProjectKey } from "./domain/project-key.js";
import type { OpenSessionStoreOptions } from "./domain/types.js";
import type { Engine } from "./engine/engine.js";
import { redactUrl } from "./engine/pg/url.js";
import { SessionStore } from "./store.js";

/**
 * The project key of a store on a server: `project`, else the normalised git remote of the
 * project, else VICTOR_PROJECT; a clear error when there is none (sessions of different projects
 * must never mix on a shared server).
 */
function projectKeyFor(options: OpenSessionStoreOptions): string {
  const env = options.env ?? process.env;
  const key = options.project?.trim() || resolveProjectKey({ projectRoot: findProjectRoot(options.cwd ?? process.cwd(), env), configured: env.VICTOR_PROJECT });
  if (!key) {
    throw new InvalidSessionDataError(
      "Sessions on a PostgreSQL server belong to a project, and this folder has no git remote to name it: set VICTOR_PROJECT (e.g. VICTOR_PROJECT=my-project).",
    );
  }
  return key;
}

/**
 * The engine for a location. Each engine module is loaded only when it is used, so its driver
 * (better-sqlite3, pg) is needed only by those who use that engine.
 */
async function openEngine(location: StoreLocation, options: OpenSessionStoreOptions): Promise<Engine> {
  if (location.engine === "postgres") {
    const project = projectKeyFor(options);
    const { openPgEngine } = await withDriver("pg", redactUrl(location.url), () => import("./engine/pg/engine.js"));
    return openPgEngine({ url: location.url, project, env: options.env, readonly: options.readonly, busyTimeoutMs: options.busyTimeoutMs });
  }
  const { openSqliteEngine } = await withDriver("better-sqlite3", location.path, () => import("./engine/sqlite/engine.js"));
  return openSqliteEngine(location.path, { readonly: options.readonly, busyTimeoutMs: options.busyTimeoutMs });
}

/** Drivers are optional peer dependencies: a missing one is said so, with the command that adds it. */
async function withDriver<T>(driver: string, location: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (code === "ERR_MODULE_NOT_FOUND" && String(message).includes(`'${driver}'`)) {
      throw new DatabaseOpenError(location, `it needs the ${driver} package, which is not installed here: npm install ${driver}`, { cause: error });
    }
    throw error;
  }
}

const locationKey = (location: StoreLocation): string => (location.engine === "postgres" ? location.url : location.path);

/**
 * Opens the session store: an SQLite file (`dbPath`, VICTOR_DB_PATH, or the project's
 * `.victor/project.db`) or a PostgreSQL server (`url`, a postgres:// `dbPath`, or VICTOR_DB_URL).
 * The same API on both; the schema is created or migrated on open.
 */
export async function openSessionStore(options: OpenSessionStoreOptions = {}): Promise<SessionStore> {
  return new SessionStore(await openEngine(resolveStoreLocation(options), options));
}

const defaultStores = new Map<string, Promise<SessionStore>>();

/**
 * The one-line entry point: the store of the current project (or `--db`, VICTOR_DB_URL,
 * VICTOR_DB_PATH), opened once per process and shared.
 */
export async function getSessionPersistence(options: OpenSessionStoreOptions = {}): Promise<SessionStore> {
  const location = resolveStoreLocation(options);
  const key = locationKey(location);
  let store = defaultStores.get(key);
  if (!store) {
    store = openEngine(location, options).then((engine) => {
      const opened: SessionStore = new SessionStore(engine, () => {
        if (defaultStores.get(key) === store) defaultStores.delete(key);
      });
      return opened;
    });
    defaultStores.set(key, store);
    store.catch(() => defaultStores.delete(key));
  }
  return store;
}

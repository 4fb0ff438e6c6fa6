import { existsSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";

export const PROJECT_DIR_NAME = ".victor";
export const DB_FILE_NAME = "project.db";

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function findAncestor(start: string, has: (dir: string) => boolean): string | null {
  let dir = resolve(start);
  for (;;) {
    if (has(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * The home folder of a run: HOME in the environment it was given (a CLI run in-process, or a
 * program embedding Victor, passes its own), else the operating system's.
 */
function homeOf(env: NodeJS.ProcessEnv | undefined): string {
  return env?.HOME || homedir();
}

/**
 * The project root: the nearest ancestor with a `.victor/` directory, else the nearest with `.git`,
 * else `cwd` itself. The home directory's `.victor/` holds legacy sessions, not a project, so it
 * only counts when cwd is the home directory itself.
 */
export function findProjectRoot(cwd: string = process.cwd(), env?: NodeJS.ProcessEnv): string {
  const home = resolve(homeOf(env));
  const withVictor = findAncestor(cwd, (dir) => dir !== home && isDirectory(join(dir, PROJECT_DIR_NAME)));
  if (withVictor) return withVictor;
  const withGit = findAncestor(cwd, (dir) => existsSync(join(dir, ".git")));
  return withGit ?? resolve(cwd);
}

/** Expands a leading `~` to the home directory, as a shell would. */
export function expandHome(path: string): string {
  if (path === "~") return homedir();
  if (path.startsWith("~/")) return join(homedir(), path.slice(2));
  return path;
}

export interface ResolveDbPathOptions {
  url?: string;
  dbPath?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Whether a --db value or VICTOR_DB_URL names a PostgreSQL server rather than a file. */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/** Where the sessions live: an SQLite file, or a PostgreSQL server. */
export type StoreLocation = { engine: "sqlite"; path: string } | { engine: "postgres"; url: string };

/**
 * Where the sessions live, strongest first: `url`, `dbPath` (a file or a postgres:// URL: `--db`),
 * VICTOR_DB_URL, VICTOR_DB_PATH, then `<project>/.victor/project.db`. Local SQLite is the default;
 * a server is used only when named.
 */
export function resolveStoreLocation(options: ResolveDbPathOptions = {}): StoreLocation {
  if (options.url) return { engine: "postgres", url: options.url };
  if (options.dbPath && isPostgresUrl(options.dbPath)) return { engine: "postgres", url: options.dbPath };
  const fromEnv = options.dbPath ? undefined : (options.env ?? process.env).VICTOR_DB_URL;
  if (fromEnv) return { engine: "postgres", url: fromEnv };
  return { engine: "sqlite", path: resolveDbPath(options) };
}

/** The SQLite file: `--db`, then VICTOR_DB_PATH, then `<project>/.victor/project.db`. */
export function resolveDbPath(options: ResolveDbPathOptions = {}): string {
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.dbPath ?? (options.env ?? process.env).VICTOR_DB_PATH;
  if (explicit) return resolve(cwd, expandHome(explicit));
  return join(findProjectRoot(cwd, options.env), PROJECT_DIR_NAME, DB_FILE_NAME);
}

/**
 * Legacy JSON session folders of this project: the home one (`~/.victor/sessions`, home from `env`)
 * and the project one, when present; home first.
 */
export function legacySessionDirs(cwd: string = process.cwd(), env?: NodeJS.ProcessEnv): string[] {
  const dirs = [join(homeOf(env), PROJECT_DIR_NAME, "sessions"), join(findProjectRoot(cwd, env), PROJECT_DIR_NAME, "sessions")];
  return [...new Set(dirs.map((d) => resolve(d)))].filter(isDirectory);
}

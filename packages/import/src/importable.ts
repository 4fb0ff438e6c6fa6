import { NoSessionsYetError, PythonVictorDatabaseError, findProjectRoot, openSessionStore, resolveDbPath, type SessionStore } from "@victor/core";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { basename, isAbsolute, join, relative } from "node:path";
import { GeminiProjects, defaultSource, findFiles, sourceEnv, type SourceRoot } from "./sources.js";
import { TOOLS, type Tool } from "./types.js";

export interface ImportableOptions {
  cwd?: string;
  dbPath?: string;
  env?: NodeJS.ProcessEnv;
}

export interface ImportableSessions {
  /** Session files no import has seen yet, per tool. */
  counts: Record<Tool, number>;
  total: number;
}

/** Claude Code names a project's folder after its path, every other character a dash. */
const claudeFolderName = (path: string): string => path.replace(/[^A-Za-z0-9]/g, "-");

function inside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

async function subdirs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => join(dir, e.name));
  } catch {
    return [];
  }
}

/** The folders whose sessions may belong to this project (Codex keeps all projects in one tree). */
async function rootsFor(tool: Tool, root: string, env: NodeJS.ProcessEnv): Promise<SourceRoot[]> {
  const senv = sourceEnv(env);
  const base = defaultSource(tool, senv);
  if (!existsSync(base)) return [];
  if (tool === "codex") return [{ tool, path: base }];
  if (tool === "claude") {
    const name = claudeFolderName(root);
    // Sessions started in a subfolder of the project are in folders named after it.
    return (await subdirs(base)).filter((d) => basename(d) === name || basename(d).startsWith(`${name}-`)).map((path) => ({ tool, path }));
  }
  const projects = new GeminiProjects(join(senv.home, ".gemini"), root);
  const roots: SourceRoot[] = [];
  for (const dir of await subdirs(base)) {
    const projectRoot = await projects.rootOf(dir);
    if (projectRoot !== null && inside(projectRoot, root)) roots.push({ tool, path: dir });
  }
  return roots;
}

/**
 * The store, read-only, to read the ledger; null when no import can have written one yet: no
 * database, an empty one, or the Python Victor's (not upgraded yet: victor-migrate says so).
 */
async function openLedger(dbPath: string): Promise<SessionStore | null> {
  if (!existsSync(dbPath)) return null;
  try {
    return await openSessionStore({ dbPath, readonly: true });
  } catch (error) {
    if (error instanceof NoSessionsYetError || error instanceof PythonVictorDatabaseError) return null;
    throw error;
  }
}

/**
 * A cheap start-up check for `victor chat`: session files of other tools that no import has seen
 * (not in the ledger at all). Lists folders, reads no file, never creates or changes anything.
 */
export async function findImportableSessions(options: ImportableOptions = {}): Promise<ImportableSessions> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const dbPath = resolveDbPath({ dbPath: options.dbPath, cwd, env });
  const known = new Set<string>();
  const store = await openLedger(dbPath);
  if (store) {
    try {
      for (const entry of await store.ledger.list()) known.add(entry.sourcePath);
    } finally {
      await store.close();
    }
  }
  const root = findProjectRoot(cwd, env);
  const counts = { claude: 0, codex: 0, gemini: 0 };
  for (const tool of TOOLS) {
    for (const source of await rootsFor(tool, root, env)) {
      for await (const file of findFiles(source)) {
        // Subagent transcripts come with their session; compressed rollouts cannot be read; a
        // gemini-cli .json converted to .jsonl is one session.
        if (file.format === "claude-agent" || file.format === "codex-compressed") continue;
        if (file.format === "gemini-json" && existsSync(`${file.path}l`)) continue;
        if (!known.has(file.path)) counts[tool]++;
      }
    }
  }
  return { counts, total: counts.claude + counts.codex + counts.gemini };
}

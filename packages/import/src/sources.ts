import { resolveSources } from "@victor/migrate";
import { createHash } from "node:crypto";
import { existsSync, type Dirent } from "node:fs";
import { opendir, readFile, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, dirname, join, sep } from "node:path";
import type { Tool } from "./types.js";

/** The shapes of files this package reads (and the two it recognises but does not). */
export type Format =
  | "claude"
  | "claude-agent"
  | "codex-jsonl"
  | "codex-json"
  | "codex-compressed"
  | "gemini-jsonl"
  | "gemini-json"
  | "gemini-checkpoint";

export interface SourceRoot {
  tool: Tool;
  /** Absolute folder. */
  path: string;
}

export interface FoundFile {
  tool: Tool;
  format: Format;
  path: string;
  /** The folder it was found under (for tool-wide files: Codex's session_index.jsonl). */
  root: string;
}

export interface SourceEnv {
  home: string;
  env: NodeJS.ProcessEnv;
}

export function sourceEnv(env: NodeJS.ProcessEnv = process.env): SourceEnv {
  return { home: env.HOME || homedir(), env };
}

/** Where each tool keeps its sessions unless told otherwise. */
export function defaultSource(tool: Tool, { home, env }: SourceEnv): string {
  switch (tool) {
    case "claude":
      return join(env.CLAUDE_CONFIG_DIR || join(home, ".claude"), "projects");
    case "codex":
      return env.CODEX_HOME || join(home, ".codex");
    case "gemini":
      return join(home, ".gemini", "tmp");
  }
}

/** The folders to read: the ones given (each must exist), else each tool's default when present. */
export async function resolveRoots(tools: readonly Tool[], explicit: readonly string[], cwd: string, senv: SourceEnv): Promise<{ roots: SourceRoot[]; missing: SourceRoot[] }> {
  const roots: SourceRoot[] = [];
  const missing: SourceRoot[] = [];
  if (explicit.length > 0) {
    // Checked the way victor-migrate checks its --source folders (SourceDirError when unusable).
    const tool = tools[0]!;
    for (const path of await resolveSources(explicit, cwd)) roots.push({ tool, path });
    return { roots, missing };
  }
  for (const tool of tools) {
    const path = defaultSource(tool, senv);
    (existsSync(path) ? roots : missing).push({ tool, path });
  }
  return { roots, missing };
}

async function isFile(dir: string, entry: Dirent): Promise<boolean> {
  if (entry.isFile()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return (await stat(join(dir, entry.name))).isFile();
  } catch {
    return false;
  }
}

/** Every file under `dir`, streamed (memory does not grow with their number); `skip` prunes folders. */
async function* walk(dir: string, skip: (name: string) => boolean = () => false): AsyncGenerator<string> {
  let handle;
  try {
    handle = await opendir(dir, { bufferSize: 256 });
  } catch {
    return;
  }
  for await (const entry of handle) {
    if (entry.isDirectory()) {
      if (!skip(entry.name)) yield* walk(join(dir, entry.name), skip);
    } else if (await isFile(dir, entry)) yield join(dir, entry.name);
  }
}

function classify(tool: Tool, path: string): Format | null {
  const name = basename(path);
  switch (tool) {
    case "claude":
      if (!name.endsWith(".jsonl")) return null;
      return name.startsWith("agent-") ? "claude-agent" : "claude";
    case "codex":
      if (!name.startsWith("rollout-")) return null;
      if (name.endsWith(".jsonl")) return "codex-jsonl";
      if (name.endsWith(".json")) return "codex-json";
      return name.endsWith(".jsonl.zst") ? "codex-compressed" : null;
    case "gemini": {
      if (/^checkpoint-.+\.json$/.test(name)) return "gemini-checkpoint";
      const inChats = path.split(sep).includes("chats");
      if (!inChats) return null;
      if (name.endsWith(".jsonl")) return "gemini-jsonl";
      return name.startsWith("session-") && name.endsWith(".json") ? "gemini-json" : null;
    }
  }
}

/** The session files under one root, with their format. Codex homes are read in sessions/ and archived_sessions/. */
export async function* findFiles(root: SourceRoot): AsyncGenerator<FoundFile> {
  let dirs = [root.path];
  if (root.tool === "codex") {
    const inside = ["sessions", "archived_sessions"].map((d) => join(root.path, d)).filter((d) => existsSync(d));
    if (inside.length > 0) dirs = inside;
  }
  // Claude Code keeps large tool outputs as files next to the transcripts: not sessions.
  const skip = (name: string): boolean => root.tool === "claude" && name === "tool-results";
  for (const dir of dirs) {
    for await (const path of walk(dir, skip)) {
      const format = classify(root.tool, path);
      if (format) yield { tool: root.tool, format, path, root: root.path };
    }
  }
}

/** Codex's thread names (`session_index.jsonl`, append-only: the last name of an id wins). */
export async function readCodexTitles(root: string): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  for (const candidate of [join(root, "session_index.jsonl"), join(dirname(root), "session_index.jsonl")]) {
    let text: string;
    try {
      text = await readFile(candidate, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n")) {
      try {
        const entry = JSON.parse(line) as { id?: unknown; thread_name?: unknown };
        if (typeof entry.id === "string" && typeof entry.thread_name === "string") titles.set(entry.id, entry.thread_name);
      } catch {
        // A torn or damaged index line only costs a title.
      }
    }
    break;
  }
  return titles;
}

/** Where a gemini-cli file's project folder (`~/.gemini/tmp/<project>`) is. */
export function geminiProjectDir(path: string, format: Format): string {
  if (format === "gemini-checkpoint") return dirname(path);
  const parts = path.split(sep);
  const chats = parts.lastIndexOf("chats");
  return parts.slice(0, chats).join(sep) || sep;
}

/** A gemini-cli subagent's parent session: `chats/<parent>/<id>.jsonl`. */
export function geminiParent(path: string): string | null {
  const parent = basename(dirname(path));
  return parent === "chats" ? null : parent;
}

/**
 * Which folder a gemini-cli project dir belongs to: its `.project_root` file (current versions),
 * the `projects.json` registry, or, for the older sha256-named dirs, the one candidate it hashes.
 */
export class GeminiProjects {
  private registry: Map<string, string> | null = null;

  constructor(
    private readonly geminiHome: string,
    private readonly candidate: string,
  ) {}

  async rootOf(projectDir: string): Promise<string | null> {
    try {
      const root = (await readFile(join(projectDir, ".project_root"), "utf8")).trim();
      if (root !== "") return root;
    } catch {
      // Older versions did not write it.
    }
    const key = basename(projectDir);
    const registered = (await this.loadRegistry()).get(key);
    if (registered) return registered;
    return createHash("sha256").update(this.candidate).digest("hex") === key ? this.candidate : null;
  }

  private async loadRegistry(): Promise<Map<string, string>> {
    if (this.registry) return this.registry;
    this.registry = new Map();
    try {
      const data = JSON.parse(await readFile(join(this.geminiHome, "projects.json"), "utf8")) as { projects?: Record<string, unknown> };
      for (const [path, id] of Object.entries(data.projects ?? {})) if (typeof id === "string") this.registry.set(id, path);
    } catch {
      // No registry (older versions) or a damaged one: the other two ways remain.
    }
    return this.registry;
  }
}

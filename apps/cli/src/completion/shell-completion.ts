import { isValidSessionId } from "@victor/core";
import { IMPORT_TOOL_CHOICES } from "../commands/import.js";
import type { Terminal } from "../io.js";
import { KNOWN_PROVIDERS } from "../providers/config.js";
import { openStoreForRead } from "../store.js";

const GLOBAL_FLAGS = ["--db", "--project", "--debug", "--help"];

/**
 * What Tab offers after `victor`. A table, not yargs: answering Tab must never run a command (yargs'
 * own completion, driven in-process, runs the handler of the line being completed — a `delete`!).
 * A test checks it against the commands yargs actually has.
 */
export const COMPLETION_TREE: Record<string, Record<string, readonly string[]> | readonly string[]> = {
  chat: ["--provider", "--model", "--profile", "--resume", "--base-url", "--autosave"],
  sessions: {
    list: ["--limit", "--all", "--json", "--all-projects"],
    show: ["--all", "--json"],
    search: ["--limit", "--json", "--all-projects"],
    delete: ["--yes"],
    clear: ["--all", "--yes"],
    export: ["--output", "--format", "--all", "--no-pretty"],
    import: ["--on-conflict", "--json"],
    rename: [],
    fork: ["--title", "--at", "--json"],
    tree: ["--limit", "--all", "--json"],
    uncompact: ["--json"],
    stats: ["--json"],
    path: [],
    backup: ["--keep"],
    restore: ["--yes", "--keep"],
    reindex: [],
    push: ["--to", "--share", "--no-share", "--json"],
    pull: ["--from", "--include-shared", "--json"],
    sync: ["--remote", "--share", "--include-shared", "--json"],
  },
  import: ["--source", "--dry-run", "--json", "--since", "--all-projects"],
  completion: [],
};

/** The first positional of a top-level command: `victor completion bash`, `victor import claude`. */
const POSITIONAL_CHOICES: Record<string, readonly string[]> = {
  completion: ["bash", "zsh"],
  import: IMPORT_TOOL_CHOICES,
};

/** `victor sessions <these> ID` and `victor chat --resume ID` take a session id. */
const TAKES_ID = new Set(["show", "delete", "export", "rename", "fork", "tree", "uncompact", "push"]);

/** Flags whose value is typed freely (a path, a name, a number): after them Tab offers nothing of ours, so the shell completes file names. */
const FREE_VALUE_FLAGS = new Set(["--db", "--project", "--to", "--from", "--remote", "--resume", "--output", "-o", "--model", "--profile", "--base-url", "--title", "--at", "--limit", "--keep", "--source", "--since"]);

const VALUES: Record<string, readonly string[]> = {
  "--provider": KNOWN_PROVIDERS,
  "--format": ["json", "markdown"],
  "--on-conflict": ["skip", "rename", "overwrite"],
};

async function sessionIds(current: string, db: string | undefined, terminal: Terminal): Promise<string[]> {
  // A database that cannot be read (the Python Victor's, not upgraded yet) offers nothing: Tab stays quiet.
  const store = await openStoreForRead({ db }, terminal.io).catch(() => null);
  if (!store) return [];
  try {
    if (current === "" || !isValidSessionId(current)) return (await store.listSessions({ limit: 50 })).map((s) => s.id);
    return await store.findSessionIds(current, 50);
  } catch {
    return [];
  } finally {
    await store.close();
  }
}

/**
 * Candidates for the last word of `line` (the words the shell passes, program name first), for the
 * scripts `victor completion` prints. Session ids come from the project's database, read-only.
 */
export async function completeLine(line: readonly string[], terminal: Terminal): Promise<string[]> {
  const words = line[0] === "victor" || line[0]?.endsWith("/victor") ? line.slice(1) : [...line];
  const current = words.at(-1) ?? "";
  const before = words.slice(0, -1);
  const previous = before.at(-1);
  const dbAt = before.indexOf("--db");
  const db = dbAt >= 0 ? before[dbAt + 1] : undefined;
  const filter = (candidates: readonly string[]): string[] => candidates.filter((c) => c.startsWith(current));
  if (previous && VALUES[previous]) return filter(VALUES[previous]);
  if (previous === "--resume") return filter(await sessionIds(current, db, terminal));
  if (previous && FREE_VALUE_FLAGS.has(previous)) return [];
  const positional = before.filter((w, i) => !w.startsWith("-") && !(before[i - 1] && (VALUES[before[i - 1]!] || FREE_VALUE_FLAGS.has(before[i - 1]!))));
  const [command, sub] = positional;
  if (command === undefined) return filter([...Object.keys(COMPLETION_TREE), ...(current.startsWith("-") ? [...GLOBAL_FLAGS, "--version"] : [])]);
  const node = COMPLETION_TREE[command === "session" ? "sessions" : command];
  if (node === undefined) return [];
  if (Array.isArray(node)) {
    if (positional.length === 1 && !current.startsWith("-") && POSITIONAL_CHOICES[command]) return filter(POSITIONAL_CHOICES[command]);
    return current.startsWith("-") ? filter([...node, ...GLOBAL_FLAGS]) : [];
  }
  const subcommands = node as Record<string, readonly string[]>;
  if (sub === undefined) return current.startsWith("-") ? filter(GLOBAL_FLAGS) : filter(Object.keys(subcommands));
  const flags = subcommands[sub] ?? [];
  if (current.startsWith("-")) return filter([...flags, ...GLOBAL_FLAGS]);
  if (TAKES_ID.has(sub) && positional.length === 2) return filter(await sessionIds(current, db, terminal));
  return [];
}

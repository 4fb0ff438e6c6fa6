import {
  ImportSimulation,
  InvalidSessionDataError,
  InvalidSessionIdError,
  NoSessionsYetError,
  STORED_OUTCOMES,
  VictorError,
  findProjectRoot,
  openSessionStore,
  redactUrl,
  resolveStoreLocation,
  type ImportItemResult,
  type OpenSessionStoreOptions,
  type LedgerEntry,
  type SessionStore,
} from "@victor/core";
import { DryRunWriter, StoreWriter, type MigrationWriter } from "@victor/migrate";
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { basename, isAbsolute, join, relative, resolve } from "node:path";
import { fileState, hashPrefix } from "./quick-check.js";
import { readClaudeTranscript } from "./readers/claude.js";
import { readCodexJson, readCodexRollout } from "./readers/codex.js";
import { readGeminiJson, readGeminiLog } from "./readers/gemini.js";
import { readGeminiCheckpoint } from "./readers/gemini-checkpoint.js";
import { addResult, emptyReport, type IgnoredKind, type ImportFileResult, type ImportProgressEvent, type ImportReport } from "./report.js";
import { SessionSink, StaleSession } from "./session-sink.js";
import { SourceFile } from "./source-file.js";
import { readAhead, type FileSnapshot } from "./read-ahead.js";
import { GeminiProjects, findFiles, geminiParent, geminiProjectDir, readCodexTitles, resolveRoots, sourceEnv, type FoundFile, type SourceRoot } from "./sources.js";
import { PrefixChangedError, TOOLS, hashSalt, type ReaderInput, type ReadOutcome, type StartInfo, type Tool } from "./types.js";
import { isObject, type Json } from "./values.js";
import { WriteBatch } from "./write-batch.js";

export interface ImportOptions {
  /** Which tools to read (default: all three). */
  tools?: readonly Tool[];
  /** Folders to read instead of the tool's default one; needs exactly one tool. */
  sources?: readonly string[];
  /** The database, a file or a postgres:// URL; default as every Victor tool resolves it (VICTOR_DB_URL, VICTOR_DB_PATH, then the project's file). */
  dbPath?: string;
  /** On a PostgreSQL server: the project's key (default: its git remote, VICTOR_PROJECT, .victor/config.json). */
  project?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Read and decide everything, write nothing (not even the database file). */
  dryRun?: boolean;
  /** Only files changed at or after this time. */
  since?: Date;
  /** Sessions of every folder, not only this project's. */
  allProjects?: boolean;
  onProgress?(event: ImportProgressEvent): void;
}

/** Control flow of one file's import (never leaves this module). */
class SkipFile extends Error {
  constructor(
    readonly kind: IgnoredKind,
    reason: string,
  ) {
    super(reason);
  }
}

function inProject(cwd: string | null, root: string): boolean {
  if (cwd === null) return false;
  const rel = relative(root, resolve(cwd));
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

const IGNORED_PREFIX: Record<IgnoredKind, string> = {
  "other-project": "another folder",
  "no-conversation": "no conversation",
  superseded: "superseded",
  compressed: "compressed",
  older: "older than --since",
};

function ignoredKindOf(reason: string | null): IgnoredKind | null {
  for (const [kind, prefix] of Object.entries(IGNORED_PREFIX)) if (reason?.startsWith(prefix)) return kind as IgnoredKind;
  return null;
}

function result(file: FoundFile, outcome: ImportFileResult["outcome"], extra: Partial<ImportFileResult> = {}): ImportFileResult {
  return { path: file.path, tool: file.tool, outcome, sessionId: null, messages: 0, sent: 0, reason: null, ignored: null, issues: [], notes: [], ...extra };
}

/** Per-run state shared by every file. */
class ImportRun {
  private readonly codexTitles = new Map<string, Promise<Map<string, string>>>();
  private readonly geminiRoots = new Map<string, Promise<string | null>>();
  private readonly gemini: GeminiProjects;
  private readonly attempts = new Map<string, number>();
  private readonly again: FoundFile[] = [];
  readonly projectRoot: string;

  constructor(
    readonly options: ImportOptions,
    readonly writer: MigrationWriter,
    readonly batch: WriteBatch,
    readonly report: ImportReport,
    private readonly emitFile: (r: ImportFileResult) => void,
  ) {
    const cwd = options.cwd ?? process.cwd();
    this.projectRoot = findProjectRoot(cwd, options.env);
    this.gemini = new GeminiProjects(join(sourceEnv(options.env).home, ".gemini"), this.projectRoot);
  }

  finish(r: ImportFileResult): void {
    addResult(this.report, r);
    this.emitFile(r);
  }

  /** Counts one more attempt at a file; false once it has had its share. */
  countAttempt(path: string): boolean {
    const attempts = (this.attempts.get(path) ?? 1) + 1;
    this.attempts.set(path, attempts);
    return attempts <= MAX_ATTEMPTS;
  }

  /** A file whose last part found its session moved on: read again whole once the batch is written. */
  readAgain(found: FoundFile): void {
    if (this.countAttempt(found.path)) this.again.push(found);
    else this.finish(result(found, "failed", { reason: GAVE_UP }));
  }

  /** The next file to read again (see readAgain), if any. */
  nextAgain(): FoundFile | undefined {
    return this.again.shift();
  }

  private titlesFor(root: string): Promise<Map<string, string>> {
    let titles = this.codexTitles.get(root);
    if (!titles) this.codexTitles.set(root, (titles = readCodexTitles(root)));
    return titles;
  }

  private geminiRoot(projectDir: string): Promise<string | null> {
    let root = this.geminiRoots.get(projectDir);
    if (!root) this.geminiRoots.set(projectDir, (root = this.gemini.rootOf(projectDir)));
    return root;
  }

  /** Runs the reader that fits the file. */
  async read(found: FoundFile, input: ReaderInput, sink: SessionSink, modified: Date): Promise<ReadOutcome> {
    switch (found.format) {
      case "claude":
        return readClaudeTranscript(input, sink, { agent: null });
      case "claude-agent": {
        const agentId = basename(found.path).replace(/^agent-/, "").replace(/\.jsonl$/, "");
        let meta: Json | null = null;
        try {
          const parsed: unknown = JSON.parse(await readFile(found.path.replace(/\.jsonl$/, ".meta.json"), "utf8"));
          meta = isObject(parsed) ? parsed : null;
        } catch {
          // Older Claude Code versions wrote no .meta.json.
        }
        return readClaudeTranscript(input, sink, { agent: { agentId, meta } });
      }
      case "codex-jsonl":
        return readCodexRollout(input, sink, { titles: await this.titlesFor(found.root) });
      case "codex-json":
        return readCodexJson(input, sink, { titles: await this.titlesFor(found.root) });
      default: {
        const projectDir = geminiProjectDir(found.path, found.format);
        const context = {
          projectRoot: await this.geminiRoot(projectDir),
          projectKey: basename(projectDir),
          parentSessionId: found.format === "gemini-jsonl" ? geminiParent(found.path) : null,
          modified: modified.toISOString(),
        };
        if (found.format === "gemini-json") return readGeminiJson(input, sink, context);
        if (found.format === "gemini-checkpoint") return readGeminiCheckpoint(input, sink, context);
        return readGeminiLog(input, sink, context);
      }
    }
  }
}

/** How many times a file is read again whole after its session moved on under it, before giving up. */
const MAX_ATTEMPTS = 3;
const GAVE_UP = "another import or a save kept changing this file's session at the same time; run again";

/**
 * One file: from the ledger and the file's bytes, what to read; then read, write, report. `snapshot`:
 * the file as read ahead; `whole`: read it in full (its session moved on while an earlier attempt wrote it).
 */
async function importFile(found: FoundFile, run: ImportRun, options: { snapshot?: FileSnapshot; whole?: boolean }): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      // A second attempt looks at the file afresh, and reads it whole.
      return await attemptFile(found, run, attempt === 1 ? (options.snapshot ?? null) : null, options.whole === true || attempt > 1);
    } catch (error) {
      if (!(error instanceof StaleSession)) throw error;
      if (!run.countAttempt(found.path)) return run.finish(result(found, "failed", { reason: GAVE_UP }));
    }
  }
}

async function attemptFile(found: FoundFile, run: ImportRun, snapshot: FileSnapshot | null, whole: boolean): Promise<void> {
  const { path } = found;
  const salt = hashSalt(found.tool);
  const entry = await run.writer.ledgerEntry(path);
  let info;
  try {
    if (snapshot?.error) throw snapshot.error;
    info = snapshot?.info ?? (await stat(path));
  } catch (error) {
    return run.finish(result(found, "failed", { reason: `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }));
  }
  const bytes = snapshot?.bytes ?? null;
  // The bytes read ahead are the file as it is imported (it may have grown since the stat).
  const size = bytes ? bytes.length : info.size;
  const ignore = (kind: IgnoredKind, detail: string | null, ledger: { size: number; sha256: string } | null): void => {
    const reason = detail ? `${IGNORED_PREFIX[kind]} (${detail})` : IGNORED_PREFIX[kind];
    // Recorded like a failure: a session an earlier run imported from this file stays linked to it.
    if (ledger) run.batch.record({ sourcePath: path, ...ledger, sessionId: null, outcome: "ignored", reason, importedAt: new Date().toISOString(), revision: null });
    run.finish(result(found, "ignored", { ignored: kind, reason }));
  };

  if (run.options.since && info.mtime < run.options.since) return ignore("older", null, null);
  const superseded = found.format === "gemini-json" && existsSync(`${path}l`);
  if (found.format === "codex-compressed" || superseded) {
    // Recognised, not read: remembered by size only (the start-up hint then stays quiet about them).
    if (entry?.outcome === "ignored" && entry.size === size) return run.finish(result(found, "ignored", { ignored: superseded ? "superseded" : "compressed", reason: entry.reason }));
    return superseded
      ? ignore("superseded", `by ${basename(path)}l`, { size: size, sha256: "" })
      : ignore("compressed", "zstd rollouts are not read; `zstd -d` it to import", { size: size, sha256: "" });
  }

  const stored = entry !== null && STORED_OUTCOMES.has(entry.outcome) && entry.sessionId !== null ? entry : null;
  const document = found.format === "codex-json" || found.format === "gemini-json" || found.format === "gemini-checkpoint";
  const state = await fileState(path, size, entry, salt, document, bytes);
  if (state === "unchanged") {
    if (stored) return run.finish(result(found, "unchanged", { sessionId: stored.sessionId }));
    const kind = ignoredKindOf(entry!.reason);
    if (entry!.outcome === "ignored" && kind && (kind !== "other-project" || !run.options.allProjects)) {
      return run.finish(result(found, "ignored", { ignored: kind, reason: entry!.reason }));
    }
  }

  // A file that grew is read from where its previous import ended, into the session (and at the
  // revision) that import wrote; the store writes it only if that session is still as it was.
  const grown = !whole && stored && state === "grown" && stored.revision !== null ? stored : null;
  let previous = grown ? { size: grown.size, sha256: grown.sha256 } : null;
  const continuation = grown ? { sessionId: grown.sessionId!, revision: grown.revision! } : null;
  // A file that feeds a session already stays with it, whatever folder it names.
  const feeds = entry !== null && entry.sessionId !== null;
  const admit = async (start: StartInfo): Promise<void> => {
    if (!feeds && !start.empty && !run.options.allProjects && !inProject(start.header.cwd, run.projectRoot)) {
      throw new SkipFile("other-project", start.header.cwd ?? "it recorded none");
    }
  };
  for (;;) {
    const file = await SourceFile.open(path, size, bytes);
    file.beginHash(salt);
    const sink = new SessionSink(run.batch, admit, path, previous ? continuation : null);
    let outcome: ReadOutcome;
    try {
      outcome = await run.read(found, { file, previous }, sink, info.mtime);
    } catch (error) {
      if (error instanceof PrefixChangedError) {
        previous = null;
        continue;
      }
      if (error instanceof SkipFile) {
        const sha256 = await hashPrefix(path, file.consumed > 0 ? file.consumed : size, salt);
        return ignore(error.kind, error.message, { size: file.consumed > 0 ? file.consumed : size, sha256 });
      }
      if (error instanceof StaleSession || isFatal(error)) throw error;
      return run.finish(result(found, "failed", { reason: `cannot import: ${error instanceof Error ? error.message : String(error)}` }));
    } finally {
      await file.close();
    }
    return settle(found, run, sink, outcome, stored);
  }
}

/** Store errors stop the whole run (a locked or unusable database); a bad file's data does not. */
function isFatal(error: unknown): boolean {
  return error instanceof VictorError && !(error instanceof InvalidSessionDataError || error instanceof InvalidSessionIdError);
}

/** What the store did with a file (its first part decides: created, beside another session, …), in the report's words. */
function writtenResult(found: FoundFile, first: ImportItemResult, last: ImportItemResult, counts: { messages: number; sent: number }, base: Partial<ImportFileResult>): ImportFileResult {
  const sessionId = last.sessionId ?? first.sessionId;
  const existing = first.existing?.sessionId;
  switch (first.status) {
    case "created":
      return result(found, "imported", { ...base, ...counts, sessionId });
    case "updated":
      return result(found, "updated", { ...base, ...counts, sessionId });
    case "forked": {
      const why = first.existing?.reason === "saved-since-import" ? "was changed in Victor since it was imported" : "came from this file but differs from it now";
      return result(found, "conflict", { ...base, ...counts, sessionId, reason: `${existing} ${why}; this version of the file is ${sessionId} (nothing was overwritten)` });
    }
    case "renamed":
      return result(found, "conflict", {
        ...base,
        ...counts,
        sessionId,
        reason: `a session ${existing} not imported from this file is in the database; this file was imported beside it as ${sessionId} (nothing was overwritten)`,
      });
    case "contained":
      return result(found, "unchanged", { ...base, messages: counts.messages, sessionId, notes: [...(base.notes ?? []), `already in the database: session ${existing} holds its whole conversation`] });
    case "unchanged":
      // Another run imported these very bytes meanwhile.
      return result(found, "unchanged", { ...base, messages: counts.messages, sessionId });
    default:
      // "overwritten" and "skipped-conflict" need other conflict policies; "stale" is read again before this.
      throw new Error(`unexpected import status ${first.status}`);
  }
}

async function settle(found: FoundFile, run: ImportRun, sink: SessionSink, outcome: ReadOutcome, stored: LedgerEntry | null): Promise<void> {
  const base = { issues: outcome.issues, notes: outcome.torn ? [...outcome.notes, "the last line is incomplete (still being written): left for the next run"] : outcome.notes };
  if (stored && outcome.consumed === stored.size && outcome.sha256 === stored.sha256) {
    return run.finish(result(found, "unchanged", { ...base, sessionId: stored.sessionId, messages: outcome.messageCount }));
  }
  if (outcome.messageCount === 0 && !stored) {
    if (outcome.issues.length > 0) {
      const first = outcome.issues[0]!;
      return run.finish(result(found, "failed", { ...base, reason: `nothing readable (line ${first.line}: ${first.reason})` }));
    }
    run.batch.record({ sourcePath: found.path, size: outcome.consumed, sha256: outcome.sha256, sessionId: null, outcome: "ignored", reason: IGNORED_PREFIX["no-conversation"], importedAt: new Date().toISOString(), revision: null });
    return run.finish(result(found, "ignored", { ...base, ignored: "no-conversation", reason: IGNORED_PREFIX["no-conversation"] }));
  }
  const notes = [...base.notes, ...outcome.issues.slice(0, 3).map((i) => `line ${i.line}: ${i.reason}`)];
  const source = { key: found.path, size: outcome.consumed, sha256: outcome.sha256, reason: notes.length > 0 ? notes.join("; ").slice(0, 2000) : null };
  await sink.finish(outcome.header, source, (written) => {
    if (written instanceof Error) {
      run.batch.record({ sourcePath: found.path, size: source.size, sha256: source.sha256, sessionId: null, outcome: "failed", reason: written.message, importedAt: new Date().toISOString(), revision: null });
      return run.finish(result(found, "failed", { ...base, reason: `not stored: ${written.message}` }));
    }
    if (written.last.status === "stale") return run.readAgain(found);
    run.finish(writtenResult(found, written.first, written.last, { messages: outcome.messageCount, sent: sink.sent }, base));
  });
}

/** The store read-only for a dry run; null when it has no sessions yet (no file, an empty one, a server without Victor's tables). */
async function openForDryRun(target: OpenSessionStoreOptions): Promise<SessionStore | null> {
  if (target.dbPath !== undefined && !existsSync(target.dbPath)) return null;
  try {
    return await openSessionStore({ ...target, readonly: true });
  } catch (error) {
    if (error instanceof NoSessionsYetError) return null;
    throw error;
  }
}

async function openWriter(target: OpenSessionStoreOptions, dryRun: boolean): Promise<MigrationWriter> {
  if (dryRun) {
    // The store's own import rules over the store as it is: the report a real run would print.
    const store = await openForDryRun(target);
    return new DryRunWriter(store, store ? store.simulateImports() : new ImportSimulation(null));
  }
  const store = await openSessionStore(target);
  // No backup: an import writes only sessions of its own (namespaced ids) and never overwrites one.
  return new StoreWriter(store, { backup: false, onBackup: () => {} });
}

async function* allFiles(roots: readonly SourceRoot[]): AsyncGenerator<FoundFile> {
  for (const root of roots) yield* findFiles(root);
}

/**
 * Imports the sessions of Claude Code, Codex CLI and gemini-cli into the session store: streamed,
 * re-runnable through the ledger (unchanged files skipped, grown ones bring only what is new),
 * sources only read. Problems with single files are reported and the run goes on; a database that
 * cannot be used or a `--source` that is not a folder throws.
 */
export async function importSessionsFromTools(options: ImportOptions = {}): Promise<ImportReport> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const tools = options.tools ?? TOOLS;
  const senv = sourceEnv(options.env);
  const { roots, missing } = await resolveRoots(tools, options.sources ?? [], cwd, senv);
  const location = resolveStoreLocation({ dbPath: options.dbPath, cwd, env: options.env });
  // A file, or a server (named without its password wherever it is shown).
  const target: OpenSessionStoreOptions =
    location.engine === "sqlite" ? { dbPath: location.path, cwd, env: options.env } : { url: location.url, cwd, env: options.env, project: options.project };
  const report = emptyReport({ dryRun: options.dryRun === true, dbPath: location.engine === "sqlite" ? location.path : redactUrl(location.url), sources: roots, missing });
  const emit = options.onProgress ?? (() => {});
  let total = 0;
  for await (const _file of allFiles(roots)) total++;
  if (total === 0) {
    emit({ kind: "start", total, sources: roots.map((r) => r.path), dryRun: report.dryRun });
    report.durationMs = Math.round(performance.now() - started);
    emit({ kind: "done", report });
    return report;
  }
  const writer = await openWriter(target, report.dryRun);
  emit({ kind: "start", total, sources: roots.map((r) => r.path), dryRun: report.dryRun });
  let done = 0;
  const batch = new WriteBatch(writer);
  const run = new ImportRun({ ...options, cwd }, writer, batch, report, (r) => emit({ kind: "file", result: r, done: ++done, total }));
  try {
    for await (const snapshot of readAhead(allFiles(roots))) await importFile(snapshot.found, run, { snapshot });
    await batch.flush();
    for (let found = run.nextAgain(); found; found = run.nextAgain()) {
      await importFile(found, run, { whole: true });
      await batch.flush();
    }
  } finally {
    await writer.close();
  }
  report.durationMs = Math.round(performance.now() - started);
  emit({ kind: "done", report });
  return report;
}

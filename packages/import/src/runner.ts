import {
  InvalidSessionDataError,
  InvalidSessionIdError,
  SessionNotFoundError,
  VictorError,
  findProjectRoot,
  openSessionStore,
  resolveDbPath,
  toIsoUtc,
  type LedgerEntry,
  type SessionStore,
  type SessionSummary,
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
import { SessionSink, type Target } from "./session-sink.js";
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
  /** The database; default as every Victor tool resolves it (VICTOR_DB_PATH, then the project's). */
  dbPath?: string;
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

/** Ledger outcomes that mean "this file's content is in the store". */
const STORED = new Set<LedgerEntry["outcome"]>(["imported", "recovered", "updated", "unchanged"]);

/** Control flow of one file's import (never leaves this module). */
class SkipFile extends Error {
  constructor(
    readonly kind: IgnoredKind,
    reason: string,
  ) {
    super(reason);
  }
}
class ConflictFound extends Error {}
/** The session to update is gone (deleted since): import the file whole again. */
class ReadAgainInFull extends Error {}
/** Another run changed this file's ledger entry meanwhile: decide again from the new one. */
class LedgerMoved extends Error {}

function inProject(cwd: string | null, root: string): boolean {
  if (cwd === null) return false;
  const rel = relative(root, resolve(cwd));
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

const sameTime = (a: string, b: string): boolean => toIsoUtc(a) === toIsoUtc(b);

const sameEntry = (a: LedgerEntry | null, b: LedgerEntry | null): boolean =>
  a === b || (a !== null && b !== null && a.size === b.size && a.sha256 === b.sha256 && a.sessionId === b.sessionId && a.outcome === b.outcome);

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
  readonly projectRoot: string;

  constructor(
    readonly options: ImportOptions,
    readonly writer: MigrationWriter,
    readonly store: SessionStore | null,
    readonly batch: WriteBatch,
    readonly report: ImportReport,
    private readonly emitFile: (r: ImportFileResult) => void,
  ) {
    const cwd = options.cwd ?? process.cwd();
    this.projectRoot = findProjectRoot(cwd);
    this.gemini = new GeminiProjects(join(sourceEnv(options.env).home, ".gemini"), this.projectRoot);
  }

  finish(r: ImportFileResult): void {
    addResult(this.report, r);
    this.emitFile(r);
  }

  async summary(id: string): Promise<SessionSummary | null> {
    if (!this.store) return null;
    if (this.batch.holds(id)) await this.batch.flush();
    try {
      return await this.store.getSummary(id);
    } catch (error) {
      if (error instanceof SessionNotFoundError) return null;
      throw error;
    }
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

/** One file: decide from the ledger and the file's bytes, read, write, report. */
async function importFile(snapshot: FileSnapshot, run: ImportRun): Promise<void> {
  const { found } = snapshot;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      // A second attempt looks at the file afresh.
      return await attemptFile(found, run, attempt === 1 ? snapshot : null);
    } catch (error) {
      if (!(error instanceof LedgerMoved)) throw error;
    }
  }
  run.finish(result(found, "failed", { reason: "another import kept changing this file's session at the same time; run again" }));
}

async function attemptFile(found: FoundFile, run: ImportRun, snapshot: FileSnapshot | null): Promise<void> {
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
    if (ledger) {
      const owned = entry && STORED.has(entry.outcome) ? entry.sessionId : null;
      run.batch.record({ sourcePath: path, ...ledger, sessionId: owned, outcome: "ignored", reason, importedAt: new Date().toISOString() });
    }
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

  const stored = entry !== null && STORED.has(entry.outcome) && entry.sessionId !== null ? entry : null;
  // The session this file feeds: the one its last import wrote (or was writing when interrupted).
  const owned = stored?.sessionId ?? (entry?.outcome === "failed" ? entry.sessionId : null);
  const document = found.format === "codex-json" || found.format === "gemini-json" || found.format === "gemini-checkpoint";
  const state = await fileState(path, size, entry, salt, document, bytes);
  if (state === "unchanged") {
    if (stored) return run.finish(result(found, "unchanged", { sessionId: stored.sessionId }));
    const kind = ignoredKindOf(entry!.reason);
    if (entry!.outcome === "ignored" && kind && (kind !== "other-project" || !run.options.allProjects)) {
      return run.finish(result(found, "ignored", { ignored: kind, reason: entry!.reason }));
    }
  }

  let previous = stored && state === "grown" ? { size: stored.size, sha256: stored.sha256 } : null;
  let beside = false;
  for (;;) {
    const file = await SourceFile.open(path, size, bytes);
    file.beginHash(salt);
    const decide = async (start: StartInfo): Promise<Target> => {
      if (!owned && !beside && !start.empty && !run.options.allProjects && !inProject(start.header.cwd, run.projectRoot)) {
        throw new SkipFile("other-project", start.header.cwd ?? "it recorded none");
      }
      const id = owned && !beside ? owned : start.header.id;
      if (start.previous) {
        const summary = await run.summary(id);
        if (!summary) throw new ReadAgainInFull();
        // Saved in Victor since the import (a /save, a rename): never overwrite that. (A source
        // without times left the store's own time of the import: only the count can tell.)
        const moved = start.previous.updatedAt !== null && !sameTime(summary.updatedAt, start.previous.updatedAt);
        if (summary.messageCount !== start.previous.messageCount || moved) throw new ConflictFound();
      }
      if (!sameEntry(await run.writer.ledgerEntry(path), entry)) throw new LedgerMoved();
      // A copy beside a changed session is a fork of it.
      return beside ? { sessionId: id, beside, parentId: start.header.parentId ?? owned ?? id } : { sessionId: id, beside };
    };
    const sink = new SessionSink(run.batch, decide, path);
    let outcome: ReadOutcome;
    try {
      outcome = await run.read(found, { file, previous }, sink, info.mtime);
    } catch (error) {
      if (error instanceof PrefixChangedError || error instanceof ReadAgainInFull) {
        previous = null;
        continue;
      }
      if (error instanceof ConflictFound) {
        previous = null;
        beside = true;
        continue;
      }
      if (error instanceof SkipFile) {
        const sha256 = await hashPrefix(path, file.consumed > 0 ? file.consumed : size, salt);
        return ignore(error.kind, error.message, { size: file.consumed > 0 ? file.consumed : size, sha256 });
      }
      if (error instanceof LedgerMoved || isFatal(error)) throw error;
      return run.finish(result(found, "failed", { reason: `cannot import: ${error instanceof Error ? error.message : String(error)}` }));
    } finally {
      await file.close();
    }
    return settle(found, run, sink, outcome, stored, beside);
  }
}

/** Store errors stop the whole run (a locked or unusable database); a bad file's data does not. */
function isFatal(error: unknown): boolean {
  return error instanceof VictorError && !(error instanceof InvalidSessionDataError || error instanceof InvalidSessionIdError);
}

async function settle(found: FoundFile, run: ImportRun, sink: SessionSink, outcome: ReadOutcome, stored: LedgerEntry | null, beside: boolean): Promise<void> {
  const base = { issues: outcome.issues, notes: outcome.torn ? [...outcome.notes, "the last line is incomplete (still being written): left for the next run"] : outcome.notes };
  if (stored && outcome.consumed === stored.size && outcome.sha256 === stored.sha256) {
    return run.finish(result(found, "unchanged", { ...base, sessionId: stored.sessionId, messages: outcome.messageCount }));
  }
  if (outcome.messageCount === 0 && !stored) {
    if (outcome.issues.length > 0) {
      const first = outcome.issues[0]!;
      return run.finish(result(found, "failed", { ...base, reason: `nothing readable (line ${first.line}: ${first.reason})` }));
    }
    run.batch.record({ sourcePath: found.path, size: outcome.consumed, sha256: outcome.sha256, sessionId: null, outcome: "ignored", reason: IGNORED_PREFIX["no-conversation"], importedAt: new Date().toISOString() });
    return run.finish(result(found, "ignored", { ...base, ignored: "no-conversation", reason: IGNORED_PREFIX["no-conversation"] }));
  }
  const notes = [...base.notes, ...outcome.issues.slice(0, 3).map((i) => `line ${i.line}: ${i.reason}`)];
  const ledger = { sourcePath: found.path, size: outcome.consumed, sha256: outcome.sha256, reason: notes.length > 0 ? notes.join("; ").slice(0, 2000) : null };
  await sink.finish(outcome.header, ledger, (written, created) => {
    if (written instanceof Error) {
      run.batch.record({ ...ledger, sessionId: null, outcome: "failed", reason: written.message, importedAt: new Date().toISOString() });
      return run.finish(result(found, "failed", { ...base, reason: `not stored: ${written.message}` }));
    }
    const counts = { sessionId: written.sessionId, messages: outcome.messageCount, sent: sink.sent };
    if (beside) {
      const reason = `${outcome.header.id} was changed in Victor since it was imported; this version of the file is ${written.sessionId}`;
      return run.finish(result(found, "conflict", { ...base, ...counts, reason }));
    }
    run.finish(result(found, created ? "imported" : "updated", { ...base, ...counts }));
  });
}

async function openWriter(dbPath: string, dryRun: boolean): Promise<{ writer: MigrationWriter; store: SessionStore | null }> {
  if (dryRun) {
    const store = existsSync(dbPath) ? await openSessionStore({ dbPath, readonly: true }) : null;
    return { writer: new DryRunWriter(store), store };
  }
  const store = await openSessionStore({ dbPath });
  // No backup: an import writes only sessions of its own (namespaced ids), never a user's.
  return { writer: new StoreWriter(store, { backup: false, onBackup: () => {} }), store };
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
  const dbPath = resolveDbPath({ dbPath: options.dbPath, cwd, env: options.env });
  const report = emptyReport({ dryRun: options.dryRun === true, dbPath, sources: roots, missing });
  const emit = options.onProgress ?? (() => {});
  let total = 0;
  for await (const _file of allFiles(roots)) total++;
  if (total === 0) {
    emit({ kind: "start", total, sources: roots.map((r) => r.path), dryRun: report.dryRun });
    report.durationMs = Math.round(performance.now() - started);
    emit({ kind: "done", report });
    return report;
  }
  const { writer, store } = await openWriter(dbPath, report.dryRun);
  emit({ kind: "start", total, sources: roots.map((r) => r.path), dryRun: report.dryRun });
  let done = 0;
  const batch = new WriteBatch(writer);
  const run = new ImportRun({ ...options, cwd }, writer, store, batch, report, (r) => emit({ kind: "file", result: r, done: ++done, total }));
  try {
    for await (const snapshot of readAhead(allFiles(roots))) await importFile(snapshot, run);
    await batch.flush();
  } finally {
    await writer.close();
  }
  report.durationMs = Math.round(performance.now() - started);
  emit({ kind: "done", report });
  return report;
}

import {
  type ConflictPolicy,
  type ImportItem,
  type ImportItemResult,
  InvalidSessionDataError,
  InvalidSessionIdError,
  NewestCopies,
  type Session,
  type SessionStore,
  SessionNotFoundError,
  assertValidSessionId,
  checkSaveInput,
  copyRankOf,
  parseSessionEnvelope,
  toSaveInput,
} from "@victor/core";
import { createReadStream, statSync } from "node:fs";
import { CliError } from "../../errors.js";
import { JsonStreamError, readJsonArray, type JsonElement } from "../../files/json-array-reader.js";
import { lineAndColumnAt } from "../../files/line-column.js";
import { plural } from "../../ui/format.js";

/**
 * `victor sessions import FILE` reads the file twice, streaming, so a file of any size is imported in
 * constant memory and a bad one imports nothing:
 *
 * 1. check: every session is parsed and checked as the store would check it (envelope, id, dates,
 *    messages), nothing is written. The first problem is one error naming the session and the line.
 * 2. write: the sessions are imported in batches, one transaction each (a chat saving meanwhile
 *    waits for one batch, not for the whole file). If a batch fails (a full disk, the file changed
 *    since step 1), the sessions this run created are removed again, so the file is imported whole
 *    or not at all; overwritten sessions keep the version from the file, and the error names them.
 *    A process killed during step 2 leaves whole sessions of the batches written so far; running the
 *    same import again skips those (they exist) and brings in the rest.
 *
 * The store applies its batch rules (domain/import-batch.ts) to one batch; this applies them to the
 * whole file: of one id given twice, only the newest copy (found in step 1) is sent, the others are
 * reported "superseded"; a parent written in an earlier batch under another id (renamed) is linked
 * under that id; a renamed copy never takes an id the file asks for. (A fork given before its parent,
 * in an earlier batch, keeps the parent id the file gives it: `export` writes parents first.)
 */

/**
 * Sessions and bytes of the file per transaction: enough to amortise the commit, little memory. A batch
 * is held parsed (~3× its bytes in the JavaScript heap) while the store writes it. Measured: an export of
 * 150 KB sessions peaked at 256 MB RSS with 16 MB batches, 198 MB with 4 MB; one of 18 KB sessions at
 * 153 MB with 200 sessions / 4 MB, 142 MB with 100 / 2 MB; all in the same CPU time.
 */
export interface BatchLimits {
  sessions: number;
  bytes: number;
}
const BATCH_LIMITS: BatchLimits = { sessions: 100, bytes: 2 * 1024 * 1024 };

export interface ExportFile {
  /** Absolute path. */
  path: string;
  /** As the user named it, for messages. */
  name: string;
}

/** What step 1 found: step 2 checks it reads the same file. */
export interface CheckedExport {
  size: number;
  mtimeMs: number;
  /** The session ids in file order (a session given twice is listed twice). */
  ids: string[];
  /** Which copy of each id is imported. */
  newest: NewestCopies;
}

export type ImportProgress = (step: "check" | "write", bytesRead: number, size: number) => void;

/**
 * The file's bytes, reporting how far the reading got. In 256 KB chunks: with 1 MB chunks the peak RSS
 * of importing a 256 MB export was 6–16 MB higher; 64 KB chunks took 3× the CPU time to read.
 */
async function* chunksOf(file: ExportFile, size: number, step: "check" | "write", progress?: ImportProgress): AsyncGenerator<Buffer> {
  let read = 0;
  for await (const chunk of createReadStream(file.path, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    read += chunk.length;
    progress?.(step, read, size);
    yield chunk;
  }
}

async function where(file: ExportFile, element: Pick<JsonElement, "index" | "offset" | "inArray">): Promise<string> {
  if (!element.inArray) return file.name;
  const { line } = await lineAndColumnAt(file.path, element.offset);
  return `session ${element.index + 1} of ${file.name} (line ${line})`;
}

const nothingImported = (message: string): InvalidSessionDataError => new InvalidSessionDataError(`${message.replace(/\.$/, "")}; nothing was imported.`);

/** A session envelope as `export` writes it, with a valid id; `where` names it in messages. */
function sessionFromValue(value: unknown, where: string): Session {
  const session = parseSessionEnvelope(value, where);
  try {
    assertValidSessionId(session.metadata.session_id);
  } catch {
    throw new InvalidSessionDataError(`${where} has an invalid session id ${JSON.stringify(session.metadata.session_id)}.`);
  }
  return session;
}

function statOf(file: ExportFile): { size: number; mtimeMs: number } {
  try {
    const stat = statSync(file.path);
    if (!stat.isFile()) throw new CliError(`Not a file: ${file.path}`);
    return { size: stat.size, mtimeMs: stat.mtimeMs };
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === "ENOENT" ? `File not found: ${file.path}` : `Cannot read ${file.path}: ${(error as Error).message}`);
  }
}

/** A session of the file with the element it came from. */
interface FileSession {
  item: ImportItem;
  element: JsonElement;
}

/** The elements of the file as import items, one at a time; a JSON problem becomes an error with its line. */
async function* sessionsOf(file: ExportFile, size: number, step: "check" | "write", onConflict: ConflictPolicy, progress?: ImportProgress): AsyncGenerator<FileSession> {
  try {
    for await (const element of readJsonArray(chunksOf(file, size, step, progress))) {
      let session: Session;
      try {
        session = sessionFromValue(element.value, element.inArray ? `session ${element.index + 1} of ${file.name}` : file.name);
      } catch (error) {
        if (!(error instanceof InvalidSessionDataError)) throw error;
        // The position is worth a second read of the file's start, only now that something is wrong.
        const named = element.inArray ? error.message.replace(`session ${element.index + 1} of ${file.name}`, await where(file, element)) : error.message;
        throw nothingImported(named);
      }
      const revision = session.metadata.revision;
      yield { item: { input: toSaveInput(session), onConflict, ...(typeof revision === "number" ? { revision } : {}) }, element };
    }
  } catch (error) {
    if (!(error instanceof JsonStreamError)) throw error;
    const { line, column } = await lineAndColumnAt(file.path, error.offset);
    throw nothingImported(`${file.name} is not valid JSON (${error.message} at line ${line}, column ${column})`);
  }
}

/** The sessions of the file in batches of at most `limits` (a session larger than the byte limit is a batch of its own). */
async function* batchesOf(sessions: AsyncIterable<FileSession>, limits: BatchLimits): AsyncGenerator<FileSession[]> {
  let batch: FileSession[] = [];
  let bytes = 0;
  for await (const session of sessions) {
    batch.push(session);
    bytes += session.element.bytes;
    if (batch.length >= limits.sessions || bytes >= limits.bytes) {
      yield batch;
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length > 0) yield batch;
}

/** Step 1: reads and checks every session; writes nothing. */
export async function checkExportFile(file: ExportFile, onConflict: ConflictPolicy, progress?: ImportProgress): Promise<CheckedExport> {
  const { size, mtimeMs } = statOf(file);
  const ids: string[] = [];
  const newest = new NewestCopies();
  // One session at a time: nothing of a session is kept once it is checked.
  for await (const { element, item } of sessionsOf(file, size, "check", onConflict, progress)) {
    try {
      // The store's own checks (dates, messages, nesting), without writing.
      checkSaveInput(item.input);
    } catch (error) {
      if (!(error instanceof InvalidSessionDataError || error instanceof InvalidSessionIdError)) throw error;
      throw nothingImported(`${await where(file, element)}: ${error.message}`);
    }
    ids.push(item.input.sessionId);
    newest.offer(item.input.sessionId, element.index, copyRankOf(item));
  }
  return { size, mtimeMs, ids, newest };
}

/** The sessions a failed import created, removed again unless someone saved them since. */
async function removeCreated(store: SessionStore, results: readonly ImportItemResult[]): Promise<number> {
  const ours: string[] = [];
  for (const r of results) {
    if ((r.status !== "created" && r.status !== "renamed") || r.sessionId === null) continue;
    try {
      if ((await store.getSummary(r.sessionId)).revision === r.revision) ours.push(r.sessionId);
    } catch (error) {
      if (!(error instanceof SessionNotFoundError)) throw error;
    }
  }
  return ours.length === 0 ? 0 : store.deleteSessions({ ids: ours });
}

export interface WriteOptions {
  onConflict: ConflictPolicy;
  progress?: ImportProgress;
  /** Tests make batches small. */
  limits?: BatchLimits;
}

/** Step 2: imports the checked file in batches; see the top of this file for what a failure leaves. */
export async function writeExportFile(store: SessionStore, file: ExportFile, checked: CheckedExport, options: WriteOptions): Promise<ImportItemResult[]> {
  // By position in the file; an older copy's result is filled in at the end (its newer copy may come later).
  const results: ImportItemResult[] = [];
  const olderCopies: number[] = [];
  let done = 0;
  const changed = (): CliError => new CliError(`${file.name} changed while it was being imported`);
  const reserved = new Set(checked.ids);
  const importedAs = (id: string): string | null | undefined => {
    const newest = checked.newest.newestOf(id);
    return newest === undefined ? undefined : results[newest]?.sessionId;
  };
  try {
    const now = statOf(file);
    if (now.size !== checked.size || now.mtimeMs !== checked.mtimeMs) throw changed();
    const sessions = sessionsOf(file, checked.size, "write", options.onConflict, options.progress);
    for await (const batch of batchesOf(sessions, options.limits ?? BATCH_LIMITS)) {
      if (batch.some(({ element, item }) => checked.ids[element.index] !== item.input.sessionId)) throw changed();
      const sent: { item: ImportItem; index: number }[] = [];
      for (const { element, item } of batch) {
        if (checked.newest.newestOf(item.input.sessionId) !== element.index) {
          olderCopies.push(element.index);
          continue;
        }
        // A parent an earlier batch wrote under another id; one in this batch the store maps itself.
        const parent = item.input.parentId ? importedAs(item.input.parentId) : null;
        sent.push({ index: element.index, item: parent ? { ...item, input: { ...item.input, parentId: parent } } : item });
      }
      const written = sent.length === 0 ? [] : await store.importSessions(sent.map((s) => s.item), { reservedIds: reserved });
      written.forEach((result, k) => (results[sent[k]!.index] = result));
      done += batch.length;
    }
    if (done !== checked.ids.length) throw changed();
    for (const i of olderCopies) {
      const requestedId = checked.ids[i]!;
      const sessionId = importedAs(requestedId);
      results[i] = { requestedId, sessionId: null, status: "superseded", ...(sessionId ? { existing: { sessionId, reason: "newer-copy" as const } } : {}) };
    }
    return results;
  } catch (error) {
    const reason = (error as Error).message.replace(/; nothing was imported\.$/, "").replace(/\.$/, "");
    let message = `Importing ${file.name} failed after ${plural(done, "session")} of ${checked.ids.length}: ${reason}.`;
    const written = results.filter((r) => r !== undefined);
    try {
      const removed = await removeCreated(store, written);
      if (removed > 0) message += ` The ${plural(removed, "session")} it had created ${removed === 1 ? "was" : "were"} removed again.`;
    } catch (cleanup) {
      message += ` Removing the sessions it had created failed too (${(cleanup as Error).message}); they are complete, and importing the file again skips them.`;
    }
    const overwritten = written.filter((r) => r.status === "overwritten").map((r) => r.sessionId);
    if (overwritten.length > 0) message += ` Already overwritten with the file's version: ${overwritten.join(", ")}.`;
    throw new CliError(message, { cause: error });
  }
}

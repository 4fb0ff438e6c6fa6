import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, linkSync, lstatSync, realpathSync, renameSync, rmSync, statSync, type Stats, type WriteStream } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { CliError } from "../errors.js";

/** Text to write: all at once, or chunk by chunk (an export streams one session at a time). */
export type FileContent = string | AsyncIterable<string> | Iterable<string>;

export interface WriteFileOptions {
  /** Replace an existing regular file (default), or fail if one appears (never overwrite). */
  replace?: boolean;
  /** Mode of a new file: transcripts and exports hold whole conversations, so private by default. */
  mode?: number;
}

/** What is at a path we are asked to write, seen without following a symbolic link. */
type Target = { kind: "missing" } | { kind: "file" } | { kind: "stream"; what: string } | { kind: "refused"; reason: string };

function describeStats(stats: Stats): Target {
  if (stats.isFile()) return { kind: "file" };
  if (stats.isDirectory()) return { kind: "refused", reason: "it is a folder" };
  if (stats.isFIFO()) return { kind: "stream", what: "named pipe" };
  if (stats.isCharacterDevice()) return { kind: "stream", what: "device" };
  if (stats.isSocket()) return { kind: "refused", reason: "it is a socket" };
  return { kind: "refused", reason: "it is a block device" };
}

function inspect(path: string): Target {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing" };
    throw fsError(path, error);
  }
  if (!stats.isSymbolicLink()) return describeStats(stats);
  // A link to a pipe or a device (`/dev/stdout`) is a stream the user means to write to. A link to a
  // file (or to nothing) would make us write, or replace, a file other than the one named: refused.
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return { kind: "refused", reason: "it is a symbolic link to nothing; name a real file" };
  }
  const target = describeStats(statSync(real));
  if (target.kind === "stream") return target;
  return { kind: "refused", reason: `it is a symbolic link (to ${real}); name the file itself` };
}

export function fsError(path: string, error: unknown): CliError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === "ENOENT"
      ? `the folder ${dirname(path)} does not exist`
      : code === "EACCES" || code === "EPERM"
        ? "permission denied"
        : code === "EISDIR"
          ? "it is a folder"
          : code === "ENOTDIR"
            ? `a part of ${dirname(path)} is not a folder`
            : code === "ENOSPC"
              ? "no space left on the device"
              : code === "EROFS"
                ? "the file system is read-only"
                : (error as Error).message;
  return new CliError(`Cannot write ${path}: ${reason}.`, { cause: error });
}

async function writeAll(stream: WriteStream, content: FileContent): Promise<void> {
  const failed = new Promise<never>((_, reject) => stream.once("error", reject));
  failed.catch(() => undefined);
  await Promise.race([once(stream, "open"), failed]);
  const chunks = typeof content === "string" ? [content] : content;
  for await (const chunk of chunks) {
    if (!stream.write(chunk, "utf8")) await Promise.race([once(stream, "drain"), failed]);
  }
  stream.end();
  await Promise.race([once(stream, "finish"), failed]);
}

/**
 * Writes a file the way a careful tool does:
 * - a regular file (new or existing) is written to a temporary file in the same folder and renamed
 *   into place, so a failure (a damaged session half way through an export, a full disk) never
 *   leaves half a file under the requested name, and the file is private (0600) from its first byte;
 * - a named pipe or a character device (`/dev/stdout`, `/dev/null`) is written directly — it is a
 *   stream, and replacing it with a file would be wrong;
 * - a symbolic link to a file, a folder, a socket or a block device is refused with a clear reason.
 * Returns the absolute path written.
 */
export async function writeFileSafely(path: string, content: FileContent, options: WriteFileOptions = {}): Promise<string> {
  const target = resolve(path);
  const what = inspect(target);
  if (what.kind === "refused") throw new CliError(`Cannot write ${target}: ${what.reason}.`);
  if (what.kind === "file" && options.replace === false) throw new CliError(`Cannot write ${target}: a file is already there.`);
  if (what.kind === "stream") {
    const stream = createWriteStream(target, { flags: "w" });
    try {
      await writeAll(stream, content);
    } catch (error) {
      stream.destroy();
      throw error instanceof CliError ? error : fsError(target, error);
    }
    return target;
  }
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const stream = createWriteStream(temp, { flags: "wx", mode: options.mode ?? 0o600 });
  try {
    try {
      await writeAll(stream, content);
    } catch (error) {
      // A write error is about the file; anything else (a damaged row while exporting) is its own story.
      throw (error as NodeJS.ErrnoException).syscall ? fsError(target, error) : error;
    }
    if (options.replace === false) {
      // link() never replaces: a file that appeared meanwhile is kept, and this write fails instead.
      try {
        linkSync(temp, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new CliError(`Cannot write ${target}: a file is already there.`);
        throw fsError(target, error);
      }
      rmSync(temp, { force: true });
    } else renameSync(temp, target);
  } catch (error) {
    stream.destroy();
    rmSync(temp, { force: true });
    throw error;
  }
  return target;
}

/** `name.md`, then `name-2.md`, `name-3.md`, … : the first that does not exist in `dir`. */
export function uniqueFileName(dir: string, stem: string, extension: string): string {
  for (let n = 1; ; n++) {
    const candidate = join(dir, `${stem}${n === 1 ? "" : `-${n}`}${extension}`);
    try {
      lstatSync(candidate);
    } catch {
      return candidate;
    }
  }
}

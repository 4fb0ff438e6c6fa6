import { constants, type Dirent } from "node:fs";
import { opendir, realpath, stat } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import { VictorError } from "@victor/core";

/** An entry of a source folder: a file to read, or something that is reported as skipped. */
export type SourceEntry =
  | {
      kind: "file";
      /** Absolute path as listed (a symlink's own path). */
      path: string;
      /** What to read: the path itself, or the file a symlink inside the folder points to. */
      readPath: string;
      /** A `*.json` file (a candidate session); anything else is reported as ignored. */
      isJson: boolean;
      /** The file name without `.json`: the session id `/load` used. */
      stem: string;
    }
  | { kind: "skipped"; path: string; reason: string };

export class SourceDirError extends VictorError {}

/** Absolute, de-duplicated source folders; each must be a readable directory. */
export async function resolveSources(dirs: readonly string[], cwd: string): Promise<string[]> {
  const out: string[] = [];
  for (const dir of dirs) {
    const abs = resolve(cwd, dir);
    if (out.includes(abs)) continue;
    let isDir = false;
    try {
      isDir = (await stat(abs)).isDirectory();
    } catch (error) {
      throw new SourceDirError(`Cannot read the source folder ${abs}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "it does not exist" : (error as Error).message}`);
    }
    if (!isDir) throw new SourceDirError(`The source ${abs} is not a folder.`);
    out.push(abs);
  }
  return out;
}

/**
 * Read flags: never follow a symlink at the last step (an entry swapped for a link after it was
 * listed fails instead of being read) and never block (a FIFO swapped in would hang the run).
 */
export const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

function specialKind(entry: Dirent | { isFIFO(): boolean; isSocket(): boolean; isDirectory(): boolean }): string {
  if (entry.isDirectory()) return "a folder (source folders are not searched recursively)";
  if (entry.isFIFO()) return "a named pipe (FIFO), not a file";
  if (entry.isSocket()) return "a socket, not a file";
  return "a device or other special file, not a regular file";
}

const fileEntry = (path: string, readPath: string, name: string): SourceEntry => {
  const isJson = /\.json$/i.test(name);
  return { kind: "file", path, readPath, isJson, stem: isJson ? name.slice(0, -5) : name };
};

/**
 * Where a symlink in the folder leads: followed only to a regular file inside the folder itself
 * (a link to /etc/shadow is not read, let alone echoed); loops and dangling links are reported.
 */
async function followLink(path: string, name: string, realDir: string): Promise<SourceEntry> {
  let target: string;
  try {
    target = await realpath(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ELOOP" ? "a symbolic link loop" : code === "ENOENT" ? "a broken symbolic link" : `a symbolic link that cannot be followed (${code ?? "error"})`;
    return { kind: "skipped", path, reason };
  }
  if (!target.startsWith(realDir + sep)) return { kind: "skipped", path, reason: "a symbolic link to a file outside the source folder (not followed)" };
  try {
    const info = await stat(target);
    if (info.isFile()) return fileEntry(path, target, name);
    return { kind: "skipped", path, reason: `a symbolic link to ${specialKind(info)}` };
  } catch (error) {
    return { kind: "skipped", path, reason: `a symbolic link that cannot be followed (${(error as NodeJS.ErrnoException).code ?? "error"})` };
  }
}

/** The entries of one folder, streamed (fs.opendir): memory does not grow with their number. */
export async function* listSourceFiles(dir: string): AsyncGenerator<SourceEntry> {
  const realDir = await realpath(dir);
  const handle = await opendir(dir, { bufferSize: 256 });
  for await (const entry of handle) {
    const path = join(dir, entry.name);
    if (entry.isFile()) yield fileEntry(path, path, entry.name);
    else if (entry.isSymbolicLink()) yield await followLink(path, entry.name, realDir);
    else yield { kind: "skipped", path, reason: specialKind(entry) };
  }
}

/** How many entries the folders hold (a cheap first pass so progress can show a total). */
export async function countSourceFiles(dirs: readonly string[]): Promise<number> {
  let total = 0;
  for (const dir of dirs) {
    const handle = await opendir(dir, { bufferSize: 256 });
    for await (const _entry of handle) total++;
  }
  return total;
}

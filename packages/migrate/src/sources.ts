import { opendir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Dirent } from "node:fs";
import { VictorError } from "@victor/core";

export interface SourceEntry {
  /** Absolute path. */
  path: string;
  /** A `*.json` file (a candidate session); anything else is reported as ignored. */
  isJson: boolean;
  /** The file name without `.json`: the session id `/load` used. */
  stem: string;
}

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

async function isRegularFile(dir: string, entry: Dirent): Promise<boolean> {
  if (entry.isFile()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return (await stat(join(dir, entry.name))).isFile();
  } catch {
    return false;
  }
}

/** The files of one folder, streamed (fs.opendir): memory does not grow with their number. */
export async function* listSourceFiles(dir: string): AsyncGenerator<SourceEntry> {
  const handle = await opendir(dir, { bufferSize: 256 });
  for await (const entry of handle) {
    if (!(await isRegularFile(dir, entry))) continue;
    const isJson = /\.json$/i.test(entry.name);
    yield { path: join(dir, entry.name), isJson, stem: isJson ? entry.name.slice(0, -5) : entry.name };
  }
}

/** How many files the folders hold (a cheap first pass so progress can show a total). */
export async function countSourceFiles(dirs: readonly string[]): Promise<number> {
  let total = 0;
  for (const dir of dirs) for await (const _entry of listSourceFiles(dir)) total++;
  return total;
}

import type { LedgerEntry } from "@victor/core";
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";

/** What changed since the ledger entry, judged without parsing anything. */
export type FileState = "new" | "unchanged" | "grown" | "changed";

const BLOCK = 1024 * 1024;

/** The salted sha256 of the first `size` bytes (streamed). */
export async function hashPrefix(path: string, size: number, salt: string): Promise<string> {
  const hash = createHash("sha256").update(salt);
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(Math.min(BLOCK, Math.max(size, 1)));
    for (let done = 0; done < size; ) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - done), done);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      done += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return hash.digest("hex");
}

async function readRange(path: string, start: number, length: number): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, start);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function completesALine(tail: Buffer): boolean {
  if (tail.includes(10)) return true;
  try {
    JSON.parse(tail.toString("utf8"));
    return true;
  } catch {
    return false;
  }
}

/**
 * Compares a file with what the ledger says the previous import consumed: same bytes (or only an
 * unfinished last line more) = unchanged; the same start and at least one new complete line =
 * grown (the reader then checks the start again as it reads); anything else = changed.
 * One-document formats (`.json`) are unchanged or changed, never grown. `bytes`: the file, when
 * already read.
 */
export async function fileState(path: string, size: number, entry: LedgerEntry | null, salt: string, document: boolean, bytes: Buffer | null = null): Promise<FileState> {
  if (!entry) return "new";
  if (entry.size > size || (document && entry.size !== size)) return "changed";
  if (entry.size < size) {
    const tail = bytes ? bytes.subarray(entry.size, entry.size + BLOCK) : await readRange(path, entry.size, Math.min(size - entry.size, BLOCK));
    if (size - entry.size > BLOCK || completesALine(tail)) return "grown";
  }
  const digest = bytes ? createHash("sha256").update(salt).update(bytes.subarray(0, entry.size)).digest("hex") : await hashPrefix(path, entry.size, salt);
  return digest === entry.sha256 ? "unchanged" : "changed";
}

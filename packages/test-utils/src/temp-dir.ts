import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TempDir {
  path: string;
  join(...parts: string[]): string;
  remove(): void;
}

/** A fresh directory under the OS temp dir; remove() it in afterEach. */
export function makeTempDir(prefix = "victor-test-"): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    join: (...parts) => join(path, ...parts),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { hashSalt } from "../src/types.js";
import { CLAUDE, cleanup, copyFixtures, openStore, runImport } from "./helpers.js";

afterEach(cleanup);

const WORKER = fileURLToPath(new URL("./workers/import-worker.mjs", import.meta.url));
const DIST = pathToFileURL(fileURLToPath(new URL("../dist/index.js", import.meta.url))).href;

interface WorkerResult {
  counts: Record<string, number>;
  failed: unknown[];
  conflicts: unknown[];
}

function worker(source: string, dbPath: string, startAt: number): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, DIST, source, dbPath, String(startAt)], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out) as WorkerResult) : reject(new Error(`worker exited ${code}: ${err}`))));
  });
}

/** Many small transcripts beside the fixtures, so the runs overlap for a while. */
function manyTranscripts(dir: string, n: number): void {
  const project = join(dir, "-home-dev-demo-app");
  mkdirSync(project, { recursive: true });
  for (let i = 0; i < n; i++) {
    const sid = `c0ffee00-0000-4000-8000-${String(i).padStart(12, "0")}`;
    const line = (uuid: string, parent: string | null, type: string, content: unknown) =>
      JSON.stringify({ parentUuid: parent, isSidechain: false, cwd: "/home/dev/demo-app", sessionId: sid, type, uuid, timestamp: "2026-01-01T00:00:00.000Z", message: type === "user" ? { role: "user", content } : { id: `m${uuid}`, role: "assistant", content } });
    writeFileSync(join(project, `${sid}.jsonl`), `${line("u", null, "user", `question ${i}`)}\n${line("a", "u", "assistant", [{ type: "text", text: `answer ${i}` }])}\n`);
  }
}

describe("concurrent runs", () => {
  it("three runs at once import each session once and leave a ledger a fourth run agrees with", async () => {
    const source = copyFixtures(CLAUDE);
    manyTranscripts(source, 80);
    const dbPath = join(source, "..", "p.db");
    const startAt = Date.now() + 1500;
    const results = await Promise.all([worker(source, dbPath, startAt), worker(source, dbPath, startAt), worker(source, dbPath, startAt)]);
    for (const r of results) {
      expect(r.failed).toEqual([]);
      expect(r.conflicts).toEqual([]);
    }
    const store = await openStore(dbPath);
    const ids = (await store.listSessions({ limit: -1 })).map((s) => s.id);
    expect(ids).toHaveLength(80 + 10);
    expect(ids.filter((id) => /_\d+$/.test(id))).toEqual([]);
    // Each ledger entry describes its file as it is.
    for (const entry of await store.ledger.list()) {
      if (entry.outcome !== "imported" && entry.outcome !== "updated") continue;
      const bytes = readFileSync(entry.sourcePath).subarray(0, entry.size);
      expect(createHash("sha256").update(hashSalt("claude")).update(bytes).digest("hex")).toBe(entry.sha256);
      expect(await store.hasSession(entry.sessionId!)).toBe(true);
    }
    const after = await runImport(dbPath, { tools: ["claude"], sources: [source], allProjects: true });
    expect(after.counts).toMatchObject({ imported: 0, updated: 0, conflict: 0, failed: 0, unchanged: 90 });
  });
});

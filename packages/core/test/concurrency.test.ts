import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { beforeAll, expect, it } from "vitest";
import type { OpenSessionStoreOptions } from "../src/index.js";
import { describeEngines } from "./engines.js";

// Child processes import the built package (run `pnpm --filter @victor/core build` after changing src).
const DIST = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const WORKER = fileURLToPath(new URL("./fixtures/concurrent-worker.mjs", import.meta.url));
const WORKERS = 4;

interface WorkerResult {
  worker: number;
  ids: string[];
  conflicts: number;
  successes: number;
  errors: string[];
}

function runWorker(options: OpenSessionStoreOptions, args: string[]): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, pathToFileURL(DIST).href, JSON.stringify(options), ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`worker exited ${code}: ${err}`));
      try {
        resolve(JSON.parse(out.trim()) as WorkerResult);
      } catch {
        reject(new Error(`bad worker output: ${out} ${err}`));
      }
    });
  });
}

const runWorkers = (options: OpenSessionStoreOptions, mode: string, count: number) => {
  const startAt = String(Date.now() + 600);
  return Promise.all(Array.from({ length: WORKERS }, (_, w) => runWorker(options, [mode, String(w), String(count), startAt])));
};

beforeAll(() => {
  if (!existsSync(DIST)) throw new Error(`${DIST} missing: run pnpm --filter @victor/core build`);
});

describeEngines("several OS processes on one database", (engine) => {
  it("new sessions from 4 processes at once: no lock errors, no lost session, unique ids", async () => {
    const { store, openOptions, counts } = await engine.fresh();
    const perWorker = 30;
    const results = await runWorkers(openOptions, "new", perWorker);
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    const ids = results.flatMap((r) => r.ids);
    expect(ids).toHaveLength(WORKERS * perWorker);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^\d{8}_\d{6}(_\d+)?$/);
    expect(await store.countSessions()).toBe(WORKERS * perWorker);
    const all = await store.listSessions({ limit: -1 });
    expect(all.every((s) => s.messageCount === 2)).toBe(true);
    // every worker's every session is there with its own content
    for (const r of results) {
      const s = await store.getSession(r.ids[7]!);
      expect(s.conversation.messages[0]!.content).toBe(`worker ${r.worker} session 7`);
    }
    expect(await counts()).toEqual({ sessions: WORKERS * perWorker, messages: WORKERS * perWorker * 2 });
  });

  // One session, read-modify-write from 4 processes: with an explicit expectedRevision, and without
  // one (safe by default: the store remembers what it loaded). Conflicts are reported, nothing is lost.
  it.each(["same", "same-safe"])("one session, read-modify-write from 4 processes (%s): conflicts detected, nothing lost", async (mode) => {
    const { store, openOptions, messageRows } = await engine.fresh();
    await store.saveSession({ sessionId: "shared", conversation: { messages: [{ role: "system", content: "start" }] }, model: "m", provider: "p" });
    const perWorker = 15;
    const results = await runWorkers(openOptions, mode, perWorker);
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect(results.map((r) => r.successes)).toEqual(Array(WORKERS).fill(perWorker));
    expect(results.reduce((n, r) => n + r.conflicts, 0)).toBeGreaterThan(0);
    const s = await store.getSession("shared");
    const contents = s.conversation.messages.map((m) => m.content as string);
    expect(contents).toHaveLength(1 + WORKERS * perWorker);
    expect(s.metadata.message_count).toBe(1 + WORKERS * perWorker);
    expect(s.metadata.revision).toBe(1 + WORKERS * perWorker);
    expect(new Set(contents).size).toBe(contents.length);
    for (let w = 0; w < WORKERS; w++) {
      // each worker's messages appear in its own order
      const mine = contents.filter((c) => c.startsWith(`w${w}-`));
      expect(mine).toEqual(Array.from({ length: perWorker }, (_, i) => `w${w}-${i}`));
    }
    expect((await messageRows("shared")).map((r) => r.position)).toEqual(Array.from({ length: 1 + WORKERS * perWorker }, (_, i) => i));
  });
});

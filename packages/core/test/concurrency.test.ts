import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { openSessionStore } from "../src/index.js";
import { cleanupAll, raw, tempDir } from "./helpers.js";

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

function runWorker(args: string[]): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, pathToFileURL(DIST).href, ...args], { stdio: ["ignore", "pipe", "pipe"] });
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

beforeAll(() => {
  if (!existsSync(DIST)) throw new Error(`${DIST} missing: run pnpm --filter @victor/core build`);
});
afterEach(cleanupAll);

describe("several OS processes on one database", () => {
  it("new sessions from 4 processes at once: no lock errors, no lost session, unique ids", async () => {
    const dbPath = join(tempDir(), "conc.db");
    await (await openSessionStore({ dbPath })).close();
    const perWorker = 50;
    const startAt = String(Date.now() + 600);
    const results = await Promise.all(Array.from({ length: WORKERS }, (_, w) => runWorker([dbPath, "new", String(w), String(perWorker), startAt])));
    const errors = results.flatMap((r) => r.errors);
    expect(errors).toEqual([]);
    const ids = results.flatMap((r) => r.ids);
    expect(ids).toHaveLength(WORKERS * perWorker);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^\d{8}_\d{6}(_\d+)?$/);
    const store = await openSessionStore({ dbPath });
    try {
      expect(await store.countSessions()).toBe(WORKERS * perWorker);
      expect(await store.integrityCheck()).toBe("ok");
      const all = await store.listSessions({ limit: -1 });
      expect(all.every((s) => s.messageCount === 2)).toBe(true);
      // every worker's every session is there with its own content
      for (const r of results) {
        const s = await store.getSession(r.ids[7]!);
        expect(s.conversation.messages[0]!.content).toBe(`worker ${r.worker} session 7`);
      }
    } finally {
      await store.close();
    }
    raw(dbPath, (db) => expect(db.prepare(`SELECT count(*) AS n FROM messages`).get()).toEqual({ n: WORKERS * perWorker * 2 }));
  });

  it("one session, read-modify-write from 4 processes with expectedRevision: conflicts detected, nothing lost", async () => {
    const dbPath = join(tempDir(), "same.db");
    const seed = await openSessionStore({ dbPath });
    await seed.saveSession({ sessionId: "shared", conversation: { messages: [{ role: "system", content: "start" }] }, model: "m", provider: "p" });
    await seed.close();
    const perWorker = 25;
    const startAt = String(Date.now() + 600);
    const results = await Promise.all(Array.from({ length: WORKERS }, (_, w) => runWorker([dbPath, "same", String(w), String(perWorker), startAt])));
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect(results.map((r) => r.successes)).toEqual(Array(WORKERS).fill(perWorker));
    const conflicts = results.reduce((n, r) => n + r.conflicts, 0);
    expect(conflicts).toBeGreaterThan(0);
    const store = await openSessionStore({ dbPath });
    try {
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
      expect(await store.integrityCheck()).toBe("ok");
    } finally {
      await store.close();
    }
    raw(dbPath, (db) => {
      const positions = (db.prepare(`SELECT position FROM messages WHERE session_id = 'shared' ORDER BY position`).all() as { position: number }[]).map((r) => r.position);
      expect(positions).toEqual(Array.from({ length: 1 + WORKERS * perWorker }, (_, i) => i));
    });
  });

  it("4 processes opening a brand-new file at once all migrate safely", async () => {
    const dbPath = join(tempDir(), "fresh", "new.db");
    const startAt = String(Date.now() + 500);
    // The worker opens the store before the start barrier: all four race on creation + migration.
    const results = await Promise.all(Array.from({ length: WORKERS }, (_, w) => runWorker([dbPath, "new", String(w), "3", startAt])));
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    const migrations = raw(dbPath, (db) => db.prepare(`SELECT count(*) AS n FROM __drizzle_migrations`).get()) as { n: number };
    // Each shipped migration applied exactly once, however many processes raced to apply it.
    const journal = JSON.parse(readFileSync(new URL("../drizzle/sqlite/meta/_journal.json", import.meta.url), "utf8")) as { entries: unknown[] };
    expect(migrations.n).toBe(journal.entries.length);
    raw(dbPath, (db) => expect(db.prepare(`SELECT count(*) AS n FROM sessions`).get()).toEqual({ n: WORKERS * 3 }));
  });
});

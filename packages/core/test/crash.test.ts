import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { openSessionStore, type Message } from "../src/index.js";
// @ts-expect-error plain .mjs fixture shared with the child process
import { versionMessages } from "./fixtures/crash-versions.mjs";
import { cleanupAll, raw, tempDir } from "./helpers.js";

const DIST = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const CHILD = fileURLToPath(new URL("./fixtures/crash-child.mjs", import.meta.url));
const version = versionMessages as (v: number) => Message[];

const digest = (messages: readonly Message[]) => createHash("sha256").update(JSON.stringify(messages)).digest("hex");
const digests = new Map<number, string>();
const digestOf = (v: number) => {
  if (!digests.has(v)) digests.set(v, digest(version(v)));
  return digests.get(v)!;
};

/**
 * Starts the child at `first`, lets it get into the save of version `first + savesBeforeKill`, then
 * SIGKILLs it after a random delay. Resolves with the versions it was seen starting and finishing.
 */
function runAndKill(dbPath: string, first: number, savesBeforeKill: number): Promise<{ lastSaving: number; lastSaved: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, pathToFileURL(DIST).href, dbPath, String(first)], { stdio: ["ignore", "pipe", "pipe"] });
    let lastSaving = -1;
    let lastSaved = -1;
    let buffered = "";
    let killScheduled = false;
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        const [what, v] = line.split(" ");
        if (what === "saving") lastSaving = Number(v);
        if (what === "saved") lastSaved = Number(v);
        if (what === "saving" && Number(v) >= first + savesBeforeKill && !killScheduled) {
          killScheduled = true;
          setTimeout(() => child.kill("SIGKILL"), Math.random() * 120);
        }
      }
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (signal !== "SIGKILL") return reject(new Error(`child ended without being killed (code ${code}): ${stderr}`));
      resolve({ lastSaving, lastSaved });
    });
  });
}

beforeAll(() => {
  if (!existsSync(DIST)) throw new Error(`${DIST} missing: run pnpm --filter @victor/core build`);
});
afterEach(cleanupAll);

describe("SIGKILL in the middle of a save", () => {
  it("leaves the old or the new version of a 20,000-message session, never a mix", async () => {
    const dbPath = join(tempDir(), "crash.db");
    let next = 0;
    let committed = -1; // the version the database held after the previous round
    const seen = new Set<number>();
    let killedMidSave = 0;
    for (let round = 0; round < 4; round++) {
      const { lastSaving, lastSaved } = await runAndKill(dbPath, next, round === 0 ? 1 : 0);
      expect(lastSaving).toBeGreaterThanOrEqual(next);
      if (lastSaving > lastSaved) killedMidSave++;
      const store = await openSessionStore({ dbPath });
      try {
        expect(await store.integrityCheck()).toBe("ok");
        const s = await store.loadSession("big");
        // The first save of the first round may be cut before committing; later rounds always have one.
        if (s === null) {
          expect(lastSaved).toBe(-1);
          continue;
        }
        const messages = s.conversation.messages;
        const d = digest(messages);
        // Candidates: every version the child may have committed (the last one finished, or the one in flight).
        // (If no save finished this round, the previous round's version is still a candidate.)
        const candidates = [lastSaved < 0 ? committed : lastSaved, lastSaving, lastSaving + 1].filter((v) => v >= 0);
        const match = candidates.find((v) => version(v).length === messages.length && digestOf(v) === d);
        expect(match, `loaded ${messages.length} messages, not any of versions ${candidates.join(",")}`).toBeDefined();
        expect(s.metadata.message_count).toBe(messages.length);
        seen.add(match!);
        committed = match!;
        next = Math.max(lastSaving, lastSaved) + 2;
      } finally {
        await store.close();
      }
      raw(dbPath, (db) => {
        const r = db.prepare(`SELECT count(*) AS n, min(position) AS lo, max(position) AS hi FROM messages WHERE session_id = 'big'`).get() as { n: number; lo: number; hi: number };
        const head = db.prepare(`SELECT message_count FROM sessions WHERE id = 'big'`).get() as { message_count: number } | undefined;
        if (head) expect(r).toEqual({ n: head.message_count, lo: 0, hi: head.message_count - 1 });
      });
    }
    expect(seen.size).toBeGreaterThan(0);
    expect(killedMidSave).toBeGreaterThan(0);
  });
});

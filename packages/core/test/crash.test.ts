import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { beforeAll, expect, it } from "vitest";
import type { Message, OpenSessionStoreOptions } from "../src/index.js";
import { describeEngines } from "./engines.js";
// @ts-expect-error plain .mjs fixture shared with the child process
import { versionMessages } from "./fixtures/crash-versions.mjs";

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
function runAndKill(options: OpenSessionStoreOptions, first: number, savesBeforeKill: number): Promise<{ lastSaving: number; lastSaved: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, pathToFileURL(DIST).href, JSON.stringify(options), String(first)], { stdio: ["ignore", "pipe", "pipe"] });
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
describeEngines("SIGKILL in the middle of a save", (engine) => {
  it("leaves the old or the new version of a 20,000-message session, never a mix", async () => {
    const { openOptions, another, messageRows } = await engine.fresh();
    let next = 0;
    let committed = -1; // the version the database held after the previous round
    const seen = new Set<number>();
    let killedMidSave = 0;
    for (let round = 0; round < 4; round++) {
      const { lastSaving, lastSaved } = await runAndKill(openOptions, next, round === 0 ? 1 : 0);
      expect(lastSaving).toBeGreaterThanOrEqual(next);
      if (lastSaving > lastSaved) killedMidSave++;
      const store = await another();
      try {
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
      const rows = await messageRows("big");
      expect(rows.map((r) => r.position)).toEqual(Array.from({ length: rows.length }, (_, i) => i));
    }
    expect(seen.size).toBeGreaterThan(0);
    expect(killedMidSave).toBeGreaterThan(0);
  });
});

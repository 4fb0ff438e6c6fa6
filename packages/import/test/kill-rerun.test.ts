import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, openStore, runImport, session, tempDir } from "./helpers.js";

afterEach(cleanup);

const WORKER = fileURLToPath(new URL("./workers/slow-import-worker.mjs", import.meta.url));
const DIST = pathToFileURL(fileURLToPath(new URL("../dist/index.js", import.meta.url))).href;
const ID = "019e2000-0000-7000-8000-00000000ki11";

/** A rollout with many 1 MB tool outputs: written in several chunks, so a kill can land between them. */
function bigRollout(dir: string): { path: string; head: string; rest: string } {
  const folder = join(dir, "sessions", "2026", "02", "02");
  mkdirSync(folder, { recursive: true });
  const ts = "2026-02-02T10:00:00.000Z";
  const lines: unknown[] = [{ timestamp: ts, type: "session_meta", payload: { id: ID, timestamp: ts, cwd: "/home/dev/demo-app" } }];
  for (let i = 0; i < 24; i++) {
    lines.push({ timestamp: ts, type: "response_item", payload: { type: "message", role: "user", content: [{ type: "input_text", text: `step ${i}` }] } });
    lines.push({ timestamp: ts, type: "response_item", payload: { type: "function_call", name: "exec_command", arguments: `{"cmd":"cat part${i}"}`, call_id: `c${i}` } });
    lines.push({ timestamp: ts, type: "response_item", payload: { type: "function_call_output", call_id: `c${i}`, output: `${i}:`.padEnd(1024 * 1024, "x") } });
  }
  const text = lines.map((l) => `${JSON.stringify(l)}\n`);
  return { path: join(folder, `rollout-2026-02-02T10-00-00-${ID}.jsonl`), head: text.slice(0, 4).join(""), rest: text.slice(4).join("") };
}

function ledgerOutcome(dbPath: string): string | null {
  if (!existsSync(dbPath)) return null;
  try {
    const db = new Database(dbPath, { readonly: true, timeout: 100 });
    try {
      return (db.prepare(`SELECT outcome FROM legacy_imports`).get() as { outcome: string } | undefined)?.outcome ?? null;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

describe("an import killed part way", () => {
  it("leaves a session the next run completes in place (not a conflict, no copy)", async () => {
    const source = tempDir().join("codex");
    const { path, head, rest } = bigRollout(source);
    const dbPath = tempDir().join("p.db");
    // Imported once while short; then the rollout grows by 24 MB, and that import is killed.
    writeFileSync(path, head);
    await runImport(dbPath, { tools: ["codex"], sources: [source] });
    writeFileSync(path, head + rest);
    const child = spawn(process.execPath, [WORKER, DIST, source, dbPath], { stdio: "ignore" });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    // Kill it once the first part is in: the ledger row then says the import is under way.
    for (let i = 0; i < 4000 && ledgerOutcome(dbPath) !== "partial"; i++) await new Promise((r) => setTimeout(r, 5));
    expect(ledgerOutcome(dbPath)).toBe("partial");
    child.kill("SIGKILL");
    await exited;
    const partial = await openStore(dbPath);
    const before = await partial.getSummary(`codex-${ID}`);
    expect(before.messageCount).toBeGreaterThan(3);
    expect(before.messageCount).toBeLessThan(72);
    await partial.close();

    const report = await runImport(dbPath, { tools: ["codex"], sources: [source] });
    expect(report.counts).toMatchObject({ updated: 1, conflict: 0, failed: 0 });
    const store = await openStore(dbPath);
    expect((await store.listSessions({ limit: -1 })).map((s) => s.id)).toEqual([`codex-${ID}`]);
    const once = tempDir().join("once.db");
    await runImport(once, { tools: ["codex"], sources: [source] });
    expect((await session(dbPath, `codex-${ID}`)).conversation.messages).toEqual((await session(once, `codex-${ID}`)).conversation.messages);
    expect(await store.ledger.get(path)).toMatchObject({ outcome: "updated", sessionId: `codex-${ID}` });
  });
});

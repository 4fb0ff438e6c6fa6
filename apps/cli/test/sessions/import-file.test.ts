import { openSessionStore, type Session } from "@victor/core";
import { statSync, utimesSync, writeFileSync, readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkExportFile, writeExportFile } from "../../src/commands/sessions/import-file.js";
import { makeProject, seed, type Project } from "./helpers.js";

let p: Project;
beforeEach(() => {
  p = makeProject();
});
afterEach(() => p.remove());

function envelope(i: number, extra: { session_id?: string; revision?: number; parent_id?: string | null } = {}): Session {
  const id = `imp-${String(i).padStart(4, "0")}`;
  return {
    metadata: { session_id: id, created_at: "2025-01-07T14:30:45.123Z", updated_at: "2025-01-07T14:30:45.123Z", model: "m", provider: "p", profile: "default", message_count: 2, title: `Session ${i}`, tags: [], title_is_custom: true, revision: 1, parent_id: null, fork_point: null, ...extra },
    conversation: { messages: [{ role: "user", content: `question ${i}` }, { role: "assistant", content: `answer ${i}` }] },
    conversation_state: null,
    tool_selection_stats: null,
  };
}

/** 450 sessions: five batches of the import (100 per transaction). */
const many = (change: (s: Session, i: number) => Session = (s) => s): Session[] => Array.from({ length: 450 }, (_, i) => change(envelope(i), i));

async function storedIds(): Promise<string[]> {
  const store = await openSessionStore({ dbPath: p.dbPath });
  try {
    return (await store.listSessions({ limit: -1 })).map((s) => s.id).sort();
  } finally {
    await store.close();
  }
}

async function storedSession(id: string): Promise<Session> {
  const store = await openSessionStore({ dbPath: p.dbPath });
  try {
    return await store.getSession(id);
  } finally {
    await store.close();
  }
}

/** Imports `sessions` as a file through the two steps, `perBatch` sessions per transaction. */
async function importInBatches(sessions: Session[], onConflict: "skip" | "rename", perBatch: number) {
  const path = p.dir.join("small-batches.json");
  writeFileSync(path, JSON.stringify(sessions, null, 2));
  const file = { path, name: "small-batches.json" };
  const checked = await checkExportFile(file, onConflict);
  const store = await openSessionStore({ dbPath: p.dbPath });
  try {
    return await writeExportFile(store, file, checked, { onConflict, limits: { sessions: perBatch, bytes: 1 << 30 } });
  } finally {
    await store.close();
  }
}

describe("victor sessions import, streamed", () => {
  it("imports a file of several batches whole", async () => {
    writeFileSync(p.dir.join("big.json"), JSON.stringify(many(), null, 2));
    const r = await p.run(["sessions", "import", "big.json", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ imported: 450, skipped: 0 });
    expect(await storedIds()).toHaveLength(450);
  });

  it("a bad session anywhere, even the last one, imports nothing and names the session and its line", async () => {
    writeFileSync(p.dir.join("big.json"), JSON.stringify(many((s, i) => (i === 449 ? { ...s, metadata: { ...s.metadata, created_at: "yesterday" } } : s)), null, 2));
    const r = await p.run(["sessions", "import", "big.json"]);
    expect(r.code).toBe(2);
    const line = readFileSync(p.dir.join("big.json"), "utf8").split("\n").findIndex((l) => l.includes('"imp-0449"')) - 1; // the line of its "{" (metadata's first key is on the next line but one)
    expect(r.stderr).toContain(`session 450 of big.json (line ${line})`);
    expect(r.stderr).toContain('createdAt is not a date: "yesterday"');
    expect(r.stderr).toContain("nothing was imported");
    expect(statSync(p.dir.join(".victor"), { throwIfNoEntry: false })).toBeUndefined();
  });

  it("broken JSON is named by line and column", async () => {
    writeFileSync(p.dir.join("cut.json"), '[\n  {"metadata": {"session_id": "a"},\n   "conversation": {"messages": []}} oops\n]');
    const cut = await p.run(["sessions", "import", "cut.json"]);
    expect(cut.stderr).toContain('cut.json is not valid JSON (expected "," or "]" after session 1 at line 3, column 38); nothing was imported.');
    writeFileSync(p.dir.join("short.json"), JSON.stringify(many()).slice(0, 5000));
    expect((await p.run(["sessions", "import", "short.json"])).stderr).toMatch(/the file ends in the middle of session \d+ \(cut short\?\) at line 1, column 5001\); nothing was imported/);
  });

  it("a failure while writing removes the sessions the run created and names the ones it overwrote", async () => {
    await seed(p.dbPath, [{ id: "imp-0007", text: "mine" }]);
    const path = p.dir.join("big.json");
    const text = JSON.stringify(many(), null, 2);
    const then = new Date("2026-01-01T00:00:00Z");
    writeFileSync(path, text);
    utimesSync(path, then, then);
    const file = { path, name: "big.json" };
    const checked = await checkExportFile(file, "overwrite");
    // The file changes after the check, at the same size and time: the third batch sees another id.
    writeFileSync(path, text.replace('"imp-0420"', '"imp-9420"'));
    utimesSync(path, then, then);
    const store = await openSessionStore({ dbPath: p.dbPath });
    try {
      await expect(writeExportFile(store, file, checked, { onConflict: "overwrite" })).rejects.toThrow(
        "Importing big.json failed after 400 sessions of 450: big.json changed while it was being imported. The 399 sessions it had created were removed again. Already overwritten with the file's version: imp-0007.",
      );
    } finally {
      await store.close();
    }
    expect(await storedIds()).toEqual(["imp-0007"]);
  });

  it("reads an array, one envelope (a BOM too) or an empty array; refuses a bad id, a non-session, a message without a role", async () => {
    // The cases of the whole-text parser the streamed reader replaced.
    const importing = async (name: string, text: string) => {
      writeFileSync(p.dir.join(name), text);
      return p.run(["sessions", "import", name]);
    };
    expect((await importing("empty.json", "[]")).stdout).toContain("Imported 0 sessions.");
    expect(statSync(p.dir.join(".victor"), { throwIfNoEntry: false })).toBeUndefined();
    expect((await importing("one.json", `\ufeff${JSON.stringify(envelope(1))}`)).stdout).toContain("Imported 1 session.");
    const badId = await importing("bad-id.json", JSON.stringify([envelope(2, { session_id: "bad id/.." })]));
    expect(badId.stderr).toContain('session 1 of bad-id.json (line 1) has an invalid session id "bad id/.."; nothing was imported.');
    const notSession = await importing("three.json", JSON.stringify([envelope(3), 3]));
    expect(notSession.stderr).toMatch(/session 2 of three\.json .*nothing was imported/);
    const noRole = { ...envelope(4), conversation: { messages: [{ content: "no role" }] } } as unknown as Session;
    expect((await importing("no-role.json", JSON.stringify([noRole]))).stderr).toMatch(/session 1 of no-role\.json.*message 0 has no "role".*nothing was imported/);
    expect(await storedIds()).toEqual(["imp-0001"]);
  });

  it("of one id given twice, imports the newest copy and reports the other as superseded", async () => {
    const dup = (i: number, revision: number) => envelope(i, { session_id: "dup", revision });
    writeFileSync(p.dir.join("twice.json"), JSON.stringify([dup(1, 1), envelope(2), dup(3, 2)]));
    const r = await p.run(["sessions", "import", "twice.json"]);
    expect(r.stdout).toContain("Imported 2 sessions; skipped 1 older copy of a session the file holds a newer copy of.");
    expect((await storedSession("dup")).conversation.messages[0]!.content).toBe("question 3");
  });

  it("decides the newest copy over the whole file, not per batch, and names where it went", async () => {
    await seed(p.dbPath, [{ id: "dup", text: "mine" }]);
    const dup = (i: number, revision: number) => envelope(i, { session_id: "dup", revision });
    // Two per batch: the copies are in the first, second and third batch; the newest in the second.
    const results = await importInBatches([dup(0, 1), envelope(1), envelope(2), dup(3, 3), envelope(4), dup(5, 2)], "rename", 2);
    expect(results.map((r) => [r.requestedId, r.status, r.sessionId])).toEqual([
      ["dup", "superseded", null],
      ["imp-0001", "created", "imp-0001"],
      ["imp-0002", "created", "imp-0002"],
      ["dup", "renamed", "dup_2"],
      ["imp-0004", "created", "imp-0004"],
      ["dup", "superseded", null],
    ]);
    expect(results[0]!.existing).toEqual({ sessionId: "dup_2", reason: "newer-copy" });
    expect(results[5]!.existing).toEqual({ sessionId: "dup_2", reason: "newer-copy" });
    expect((await storedSession("dup_2")).conversation.messages[0]!.content).toBe("question 3");
    expect(await storedIds()).toEqual(["dup", "dup_2", "imp-0001", "imp-0002", "imp-0004"]);
  });

  it("links a fork to the id its parent got in an earlier batch, and renames into no id the file asks for", async () => {
    await seed(p.dbPath, [{ id: "par", text: "mine" }]);
    const sessions = [envelope(0, { session_id: "par" }), envelope(1), envelope(2, { session_id: "par_2" }), envelope(3, { session_id: "child", parent_id: "par" })];
    const results = await importInBatches(sessions, "rename", 2);
    // par_2 is the file's own (second batch): the renamed copy of par, in the first, must not take it.
    expect(results.map((r) => [r.requestedId, r.status, r.sessionId])).toEqual([
      ["par", "renamed", "par_3"],
      ["imp-0001", "created", "imp-0001"],
      ["par_2", "created", "par_2"],
      ["child", "created", "child"],
    ]);
    expect((await storedSession("child")).metadata.parent_id).toBe("par_3");
  });
});

import Database from "better-sqlite3";
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { readNewestSessions } from "../src/lite.js";
import { cleanupAll, freshStore, input, msgs, sha256File, storeRebuiltByPythonVictor, tempDir } from "./helpers.js";

// The cold-start list reads the file without the store; it must give what the store gives, and give
// way (null) to the store for every file the store would migrate or refuse.
afterEach(cleanupAll);

describe("readNewestSessions (the cold-start list)", () => {
  it("gives what listSessions and countSessions give: tags, previews, forks, text no engine stores as is", async () => {
    const { store, dbPath } = await freshStore();
    await store.saveSession(input(msgs("q", "a"), { sessionId: "20250101_000001", title: "plain", createdAt: "2025-01-01T00:00:01.000Z", updatedAt: "2025-01-01T00:00:01.000Z" }));
    await store.saveSession({
      ...input(msgs("hello"), { sessionId: "20250101_000002", title: "nul \u0000 and lone \ud800", model: "m\u0000", tags: ["ci", "x"] }),
      conversation: { messages: msgs("hello"), preview_messages: [{ role: "user", content: "p" }, { role: "assistant", content: "q" }] },
    });
    await store.forkSession("20250101_000001", { title: "the fork" });
    const expected = async (limit: number) => ({ sessions: await store.listSessions({ limit }), total: await store.countSessions() });
    for (const limit of [2, -1]) expect(readNewestSessions(dbPath, limit)).toEqual(await expected(limit));
    const all = readNewestSessions(dbPath, -1)!;
    expect(all.sessions.map((s) => s.title)).toContain("nul \u0000 and lone \ud800");
    expect(all.sessions.some((s) => s.parentId === "20250101_000001")).toBe(true);
    expect(all.sessions.find((s) => s.id === "20250101_000002")).toMatchObject({ tags: ["ci", "x"], previewCount: 2, model: "m\u0000" });
  });

  it("reads an empty store as an empty page", async () => {
    const { dbPath } = await freshStore();
    expect(readNewestSessions(dbPath, 10)).toEqual({ sessions: [], total: 0 });
  });

  it("gives way to the store for an older release's file, leaving it as it was", () => {
    const dbPath = join(tempDir(), "project.db");
    copyFileSync(fileURLToPath(new URL("./fixtures/releases/v0.1.0-project.db", import.meta.url)), dbPath);
    const before = sha256File(dbPath);
    expect(readNewestSessions(dbPath, 10)).toBeNull();
    expect(sha256File(dbPath)).toBe(before);
  });

  it("gives way to the store for a missing file, another file, the Python Victor's database, a rebuilt messages table", async () => {
    const dir = tempDir();
    expect(readNewestSessions(join(dir, "missing.db"), 10)).toBeNull();
    writeFileSync(join(dir, "notes.db"), "not a database, just text\n".repeat(10));
    expect(readNewestSessions(join(dir, "notes.db"), 10)).toBeNull();
    const python = new Database(join(dir, "python.db"));
    python.exec(`CREATE TABLE sessions (session_id TEXT PRIMARY KEY, last_activity TEXT, metadata TEXT)`);
    python.close();
    expect(readNewestSessions(join(dir, "python.db"), 10)).toBeNull();

    const dbPath = await storeRebuiltByPythonVictor();
    expect(readNewestSessions(dbPath, 10)).toBeNull();
  });
});

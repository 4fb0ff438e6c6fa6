import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { DatabaseLockedError, openSessionStore } from "../src/index.js";
import { cleanupAll, freshStore } from "./helpers.js";

afterEach(cleanupAll);

const save = { conversation: { messages: [{ role: "user", content: "hello" }] }, model: "m", provider: "p" };

// Waiting for a lock that is released in time is covered by concurrency.test.ts (4 OS processes).
describe("a write lock held by another process", () => {
  it("that outlasts the wait is a DatabaseLockedError naming the file and what to do; nothing is written", async () => {
    const { dbPath } = await freshStore();
    const other = new Database(dbPath);
    other.exec("BEGIN IMMEDIATE");
    const store = await openSessionStore({ dbPath, busyTimeoutMs: 200 });
    const started = Date.now();
    const error = await store.saveSession(save).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(error).toBeInstanceOf(DatabaseLockedError);
    expect((error as Error).message).toMatch(/^database is locked: /);
    expect((error as Error).message).toContain(dbPath);
    expect((error as Error).message).toMatch(/Close other Victor instances/);
    other.exec("ROLLBACK");
    expect(await store.countSessions()).toBe(0);
    other.close();
    await store.close();
  });
});

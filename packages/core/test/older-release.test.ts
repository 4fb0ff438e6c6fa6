import { createHash } from "node:crypto";
import { copyFileSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSessionStore } from "../src/index.js";
import { makeTempDir, type TempDir } from "@victor/test-utils";

// A project database written by the first release (schema at migration 0003): seven sessions
// migrated from the sample legacy files plus one saved in a chat. Users upgrading have files like it.
const FIXTURE = fileURLToPath(new URL("./fixtures/releases/v0.1.0-project.db", import.meta.url));
const sha = (path: string): string => createHash("sha256").update(readFileSync(path)).digest("hex");
const snapshots = (): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith("victor-snapshot-"));

describe("a database written by an earlier release", () => {
  let tmp: TempDir;
  let dbPath: string;
  beforeEach(() => {
    tmp = makeTempDir();
    dbPath = join(tmp.path, "project.db");
    copyFileSync(FIXTURE, dbPath);
  });
  afterEach(() => tmp.remove());

  it("opens read-only (dry runs, start-up hints) without changing the file, every session readable", async () => {
    const before = sha(dbPath);
    const leftBefore = snapshots().length;
    const store = await openSessionStore({ dbPath, readonly: true });
    expect(store.readonly).toBe(true);
    const sessions = await store.listSessions({ limit: -1 });
    expect(sessions).toHaveLength(7);
    expect(sessions.map((s) => s.title)).toContain("Saved by v0.5");
    const found = await store.searchSessions("authentication");
    expect(found.map((s) => s.id)).toContain("20251215_145334");
    const session = await store.getSession("20251215_145334");
    expect(session.conversation.messages).toHaveLength(15);
    await expect(store.saveSession({ conversation: { messages: [] }, model: "m", provider: "p" })).rejects.toThrow(/read-only/);
    await store.close();
    expect(sha(dbPath)).toBe(before);
    expect(snapshots().length).toBe(leftBefore);
  });

  it("is upgraded in place by a write open, keeping every session and message", async () => {
    const store = await openSessionStore({ dbPath });
    const sessions = await store.listSessions({ limit: -1 });
    expect(sessions).toHaveLength(7);
    expect(sessions.reduce((n, s) => n + s.messageCount, 0)).toBe(40);
    const saved = await store.getSession("20251215_145334");
    const result = await store.saveSession({
      sessionId: saved.metadata.session_id,
      conversation: { ...saved.conversation, messages: [...saved.conversation.messages, { role: "user", content: "and now?" }] },
      model: saved.metadata.model,
      provider: saved.metadata.provider,
    });
    expect(result.messageCount).toBe(16);
    await store.close();
    const again = await openSessionStore({ dbPath, readonly: true });
    expect((await again.getSession("20251215_145334")).conversation.messages.at(-1)).toEqual({ role: "user", content: "and now?" });
    await again.close();
  });
});

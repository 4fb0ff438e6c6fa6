import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sqliteMaintenance, toIsoUtc } from "@victor/core";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, EXAMPLE_HOME_SESSIONS, EXAMPLE_PROJECT_SESSIONS, EXAMPLES, messageDigest, migrate, openStore, snapshotTree, tempDir } from "./helpers.js";

interface Expected {
  file: string;
  expect: string;
  session_id?: string;
  title?: string;
  model?: string;
  provider?: string;
  message_count?: number;
  digest?: string;
  created_at?: string;
}

const expected = JSON.parse(readFileSync(join(EXAMPLES, "expected.json"), "utf8")) as Expected[];

afterEach(cleanup);

describe("the sample legacy sessions (examples/legacy-sessions)", () => {
  it("imports each file as expected.json says, and never touches the sources", async () => {
    const before = snapshotTree(EXAMPLES);
    const dbPath = tempDir().join("project.db");
    const { report, files } = await migrate({ sources: [EXAMPLE_HOME_SESSIONS, EXAMPLE_PROJECT_SESSIONS], dbPath });
    expect(report.counts.total).toBe(expected.length);
    const store = await openStore(dbPath, true);
    for (const item of expected) {
      const path = join(EXAMPLES, item.file);
      const result = files.get(path);
      expect(result?.outcome, item.file).toBe(item.expect);
      if (item.expect === "failed") expect(result?.reason, item.file).toMatch(/\w/);
      if (!item.session_id) continue;
      expect(result?.sessionId).toBe(item.session_id);
      const session = await store.loadSession(item.session_id);
      expect(session, item.file).not.toBeNull();
      expect(session!.metadata.title, item.file).toBe(item.title);
      expect(session!.metadata.model).toBe(item.model);
      expect(session!.metadata.provider).toBe(item.provider);
      expect(session!.metadata.message_count).toBe(item.message_count);
      expect(session!.conversation.messages).toHaveLength(item.message_count!);
      expect(messageDigest(session!.conversation.messages), item.file).toBe(item.digest);
      expect(session!.metadata.created_at).toBe(toIsoUtc(item.created_at!));
      const legacyMeta = session!.metadata.legacy as { file: string; metadata: Record<string, unknown> };
      expect(legacyMeta.file).toBe(path);
      expect(legacyMeta.metadata.created_at).toBe(item.created_at);
    }
    expect(await store.countSessions()).toBe(expected.filter((e) => e.session_id).length);
    expect(await (await sqliteMaintenance(store)).integrityCheck()).toBe("ok");
    expect(snapshotTree(EXAMPLES)).toEqual(before);
  });

  it("gives people-readable reasons for the broken samples and notes the differing session id", async () => {
    const dbPath = tempDir().join("project.db");
    const { report, files } = await migrate({ sources: [EXAMPLE_PROJECT_SESSIONS], dbPath });
    expect(files.get(join(EXAMPLE_PROJECT_SESSIONS, "empty.json"))?.reason).toBe("empty file");
    expect(files.get(join(EXAMPLE_PROJECT_SESSIONS, "notes.json"))?.reason).toMatch(/^JSON but not a Victor session: no conversation\.messages/);
    expect(files.get(join(EXAMPLE_PROJECT_SESSIONS, "README.txt"))?.outcome).toBe("ignored");
    expect(report.notes.some((n) => n.path.endsWith("auth-refactor.json") && n.note.includes("20251201_101010"))).toBe(true);
  });

  it("keeps the recovered file's messages and sets conversation_state to null", async () => {
    const dbPath = tempDir().join("project.db");
    const { report } = await migrate({ sources: [EXAMPLE_HOME_SESSIONS], dbPath });
    expect(report.recovered).toEqual([{ path: join(EXAMPLE_HOME_SESSIONS, "20251225_071215.json"), sessionId: "20251225_071215" }]);
    const store = await openStore(dbPath, true);
    const session = await store.loadSession("20251225_071215");
    expect(session!.conversation_state).toBeNull();
    expect(session!.conversation.max_history).toBe(100);
  });
});

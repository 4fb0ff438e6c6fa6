import { afterEach, describe, expect, it } from "vitest";
import { InvalidSessionDataError, type ImportItem, type ImportSource, type Message } from "../src/index.js";
import { cleanupAll, freshStore, input, msgs } from "./helpers.js";

afterEach(cleanupAll);

const KEY = "/tool/session.jsonl";
const FILE = { key: KEY, size: 100, sha256: "f".repeat(64), reason: null } satisfies ImportSource;

/** One part of a long source written in parts, as `victor import` sends them. */
function part(messages: Message[], options: { keep?: number; continues?: number; last?: boolean; id?: string; parentId?: string | null } = {}): ImportItem {
  const keep = options.keep ?? 0;
  return {
    input: { ...input(messages), sessionId: options.id ?? "tool-s1", keepMessages: keep, metadataExtra: { imported_from: { file: KEY } }, parentId: options.parentId },
    onConflict: "rename",
    source: options.last ? FILE : { ...FILE, size: 0, sha256: "", partial: true },
    ...(keep > 0 ? { continuesRevision: options.continues } : {}),
  };
}

describe("importSessions: a long source written in parts", () => {
  it("records the first parts as partial, with the session and revision they wrote; the last part completes it", async () => {
    const { store } = await freshStore();
    const [one] = await store.importSessions([part(msgs("q1", "a1"))]);
    expect(one).toMatchObject({ sessionId: "tool-s1", status: "created", revision: 1 });
    expect(await store.ledger.get(KEY)).toMatchObject({ sessionId: "tool-s1", outcome: "partial", revision: 1, size: 0 });
    const [two] = await store.importSessions([part(msgs("q2", "a2"), { keep: 2, continues: 1 })]);
    expect(two).toMatchObject({ sessionId: "tool-s1", status: "updated", revision: 2 });
    const [three] = await store.importSessions([part(msgs("q3"), { keep: 4, continues: 2, last: true })]);
    expect(three).toMatchObject({ status: "updated", revision: 3 });
    expect(await store.ledger.get(KEY)).toMatchObject({ sessionId: "tool-s1", outcome: "updated", revision: 3, size: 100 });
    expect((await store.getSession("tool-s1")).conversation.messages.map((m) => m.content)).toEqual(["q1", "a1", "q2", "a2", "q3"]);
    // The whole source is now in the store: the same bytes again are unchanged.
    const [again] = await store.importSessions([{ ...part(msgs("q1", "a1", "q2", "a2", "q3"), { last: true }) }]);
    expect(again).toMatchObject({ status: "unchanged", sessionId: "tool-s1" });
  });

  it("a continuation whose session was saved meanwhile is stale: nothing written, the saved work stays", async () => {
    const { store } = await freshStore();
    await store.importSessions([part(msgs("q1", "a1"))]);
    const saved = await store.saveSession({ ...input(msgs("q1", "a1", "mine")), sessionId: "tool-s1" });
    const [result] = await store.importSessions([part(msgs("q2"), { keep: 2, continues: 1, last: true })]);
    expect(result).toEqual({ requestedId: "tool-s1", sessionId: null, status: "stale" });
    expect((await store.getSession("tool-s1")).conversation.messages.map((m) => m.content)).toEqual(["q1", "a1", "mine"]);
    expect(await store.ledger.get(KEY)).toMatchObject({ outcome: "partial", revision: 1 });
    // Sent whole again, the decision sees the saved work: the source comes in beside it.
    const [whole] = await store.importSessions([part(msgs("q1", "a1", "q2"), { last: true })]);
    expect(whole).toMatchObject({ status: "forked", sessionId: "tool-s1_2", existing: { sessionId: "tool-s1", reason: "saved-since-import" } });
    expect(saved.revision).toBe(2);
  });

  it("a continuation of a session that is gone, or of another revision, is stale", async () => {
    const { store } = await freshStore();
    await store.importSessions([part(msgs("q1", "a1"))]);
    expect((await store.importSessions([part(msgs("q2"), { keep: 2, continues: 7 })]))[0]!.status).toBe("stale");
    expect((await store.importSessions([part(msgs("q2"), { keep: 2, continues: 1, id: "tool-other" })]))[0]!.status).toBe("stale");
    await store.deleteSession("tool-s1");
    expect((await store.importSessions([part(msgs("q2"), { keep: 2, continues: 1 })]))[0]!.status).toBe("stale");
  });

  it("a part that keeps messages must say which revision it continues", async () => {
    const { store } = await freshStore();
    await store.importSessions([part(msgs("q1", "a1"))]);
    await expect(store.importSessions([part(msgs("q2"), { keep: 2 })])).rejects.toBeInstanceOf(InvalidSessionDataError);
  });

  it("a first part is never taken as contained by a session that starts like it (the rest is unseen)", async () => {
    const { store } = await freshStore();
    await store.saveSession({ ...input(msgs("q1", "a1", "other")), sessionId: "tool-s1" });
    const [result] = await store.importSessions([part(msgs("q1", "a1"))]);
    expect(result).toMatchObject({ status: "renamed", sessionId: "tool-s1_2" });
    expect(await store.ledger.get(KEY)).toMatchObject({ outcome: "partial", sessionId: "tool-s1_2", revision: 1 });
  });

  it("a fork stays a fork of its session through later parts and updates", async () => {
    const { store } = await freshStore();
    await store.importSessions([part(msgs("q1", "a1"), { last: true })]);
    await store.saveSession({ ...input(msgs("q1", "a1", "mine")), sessionId: "tool-s1" });
    const [fork] = await store.importSessions([part(msgs("q1", "a1", "theirs"))]);
    expect(fork).toMatchObject({ status: "forked", sessionId: "tool-s1_2", revision: 1 });
    await store.importSessions([part(msgs("more"), { id: "tool-s1_2", keep: 3, continues: 1, last: true })]);
    expect((await store.getSummary("tool-s1_2")).parentId).toBe("tool-s1");
    await store.importSessions([{ ...part(msgs("q1", "a1", "theirs", "more", "again"), { id: "tool-s1", last: true }), source: { ...FILE, size: 200 } }]);
    const updated = await store.getSession("tool-s1_2");
    expect(updated.metadata.parent_id).toBe("tool-s1");
    expect(updated.conversation.messages.at(-1)!.content).toBe("again");
  });

  it("--dry-run's simulation follows the parts the same way", async () => {
    const { store } = await freshStore();
    const simulation = store.simulateImports();
    expect((await simulation.run([part(msgs("q1", "a1"))]))[0]).toMatchObject({ status: "created", revision: 1 });
    expect((await simulation.run([part(msgs("q2"), { keep: 2, continues: 1, last: true })]))[0]).toMatchObject({ status: "updated", revision: 2 });
    expect((await simulation.run([part(msgs("q2"), { keep: 2, continues: 1, last: true })]))[0]).toMatchObject({ status: "unchanged" });
    expect(await store.countSessions()).toBe(0);
  });
});

import { afterEach, describe, expect, it, vi } from "vitest";
import {
  InvalidSessionDataError,
  InvalidSessionIdError,
  SessionConflictError,
  SessionExistsError,
  timestampSessionId,
  type Message,
} from "../src/index.js";
import { describeEngines } from "./engines.js";
import { input, msgs } from "./helpers.js";

afterEach(() => {
  vi.useRealTimers();
});

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describeEngines("saveSession", (engine) => {
  describe("saveSession: ids", () => {
    it("new ids are YYYYMMDD_HHMMSS in local time", async () => {
      const { store } = await engine.fresh();
      const before = new Date();
      const r = await store.saveSession(input(msgs("hello")));
      const after = new Date();
      expect(r.sessionId).toMatch(/^\d{8}_\d{6}$/);
      expect([timestampSessionId(before), timestampSessionId(after)]).toContain(r.sessionId);
      expect(r).toEqual({ sessionId: r.sessionId, title: "hello", created: true, revision: 1, messageCount: 1 });
    });

    it("saves in the same second get _2, _3 suffixes", async () => {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(new Date(2025, 0, 7, 15, 30, 45, 100));
      const { store } = await engine.fresh();
      const ids = [];
      for (let i = 0; i < 4; i++) ids.push((await store.saveSession(input(msgs(`s${i}`)))).sessionId);
      expect(ids).toEqual(["20250107_153045", "20250107_153045_2", "20250107_153045_3", "20250107_153045_4"]);
      vi.setSystemTime(new Date(2025, 0, 7, 15, 30, 46, 0));
      expect((await store.saveSession(input(msgs("next")))).sessionId).toBe("20250107_153046");
    });

    it("a deleted base id is reused, suffixes fill the first free slot", async () => {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(new Date(2025, 5, 1, 8, 0, 0));
      const { store } = await engine.fresh();
      await store.saveSession(input(msgs("a")));
      await store.saveSession(input(msgs("b")));
      await store.deleteSession("20250601_080000");
      expect((await store.saveSession(input(msgs("c")))).sessionId).toBe("20250601_080000");
      expect((await store.saveSession(input(msgs("d")))).sessionId).toBe("20250601_080000_3");
    });

    it("a given sessionId creates, then updates with bumped revisions", async () => {
      const { store } = await engine.fresh();
      const a = await store.saveSession(input(msgs("one"), { sessionId: "my-session.1" }));
      expect(a).toEqual({ sessionId: "my-session.1", title: "one", created: true, revision: 1, messageCount: 1 });
      const b = await store.saveSession(input(msgs("one", "two"), { sessionId: "my-session.1" }));
      expect(b).toEqual({ sessionId: "my-session.1", title: "one", created: false, revision: 2, messageCount: 2 });
      const c = await store.saveSession(input(msgs("one", "two"), { sessionId: "my-session.1" }));
      expect(c.revision).toBe(3);
      const loaded = await store.loadSession("my-session.1");
      expect(loaded?.metadata.revision).toBe(3);
      expect(loaded?.metadata.message_count).toBe(2);
      expect(await store.countSessions()).toBe(1);
    });

    it("timestamps are ISO UTC with ms; created_at kept, updated_at moves", async () => {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(new Date("2026-01-07T14:30:45.123Z"));
      const { store } = await engine.fresh();
      const { sessionId } = await store.saveSession(input(msgs("x")));
      vi.setSystemTime(new Date("2026-01-07T15:00:00.001Z"));
      await store.saveSession(input(msgs("x", "y"), { sessionId }));
      const s = (await store.loadSession(sessionId))!;
      expect(s.metadata.created_at).toBe("2026-01-07T14:30:45.123Z");
      expect(s.metadata.updated_at).toBe("2026-01-07T15:00:00.001Z");
      expect(s.metadata.created_at).toMatch(ISO);
    });

    it("imported timestamps: naive = local time, zoned = converted, invalid = InvalidSessionDataError", async () => {
      const { store, counts } = await engine.fresh();
      await store.saveSession(input(msgs("x"), { sessionId: "imp", createdAt: "2024-01-02T03:04:05.678", updatedAt: "2024-01-02T05:00:00+02:00" }));
      const s = (await store.loadSession("imp"))!;
      expect(s.metadata.created_at).toBe(new Date(2024, 0, 2, 3, 4, 5, 678).toISOString());
      expect(s.metadata.updated_at).toBe("2024-01-02T03:00:00.000Z");
      await expect(store.saveSession(input(msgs("x"), { sessionId: "bad", createdAt: "yesterday-ish" }))).rejects.toBeInstanceOf(InvalidSessionDataError);
      expect((await counts()).sessions).toBe(1);
    });

    it("profile defaults to 'default'; model/provider stored", async () => {
      const { store } = await engine.fresh();
      const { sessionId } = await store.saveSession(input(msgs("x")));
      const s = (await store.loadSession(sessionId))!;
      expect(s.metadata).toMatchObject({ profile: "default", model: "gpt-test", provider: "openai", parent_id: null, tags: [] });
    });
  });

  describe("saveSession: titles", () => {
    it("derived title: first user message, whitespace collapsed", async () => {
      const { store } = await engine.fresh();
      const messages: Message[] = [
        { role: "system", content: "You are helpful" },
        { role: "assistant", content: "hi" },
        { role: "user", content: "  fix   the\n\tbuild \r\n please  " },
        { role: "user", content: "second" },
      ];
      const { sessionId } = await store.saveSession(input(messages));
      const s = (await store.loadSession(sessionId))!;
      expect(s.metadata.title).toBe("fix the build please");
      expect(s.metadata.title_is_custom).toBe(false);
    });

    it("50 chars kept, 51 chars -> first 47 + '...'", async () => {
      const { store } = await engine.fresh();
      const fifty = "x".repeat(50);
      const a = await store.saveSession(input(msgs(fifty)));
      expect((await store.getSummary(a.sessionId)).title).toBe(fifty);
      const long = "abcdefghij".repeat(5) + "K";
      const b = await store.saveSession(input(msgs(long)));
      const t = (await store.getSummary(b.sessionId)).title;
      expect(t).toBe(long.slice(0, 47) + "...");
      expect(t.length).toBe(50);
    });

    it("no user message -> 'Untitled Session'", async () => {
      const { store } = await engine.fresh();
      const a = await store.saveSession(input([{ role: "assistant", content: "hello there" }]));
      expect((await store.getSummary(a.sessionId)).title).toBe("Untitled Session");
      const b = await store.saveSession(input([]));
      expect((await store.getSummary(b.sessionId)).title).toBe("Untitled Session");
    });

    it("emoji / astral characters are never split (code-point cut)", async () => {
      const { store } = await engine.fresh();
      const text = "a".repeat(46) + "😀😀😀😀😀😀";
      const { sessionId } = await store.saveSession(input(msgs(text)));
      const title = (await store.getSummary(sessionId)).title;
      expect(title).toBe("a".repeat(46) + "😀...");
      expect(title.isWellFormed()).toBe(true);
    });

    it("grapheme clusters (flags, ZWJ families) are not cut in half", async () => {
      const { store } = await engine.fresh();
      // 46 ASCII + flags (2 code points each): a code-point cut at 47 splits the first flag.
      const text = "a".repeat(46) + "🇫🇷🇩🇪🇯🇵";
      const { sessionId } = await store.saveSession(input(msgs(text)));
      const title = (await store.getSummary(sessionId)).title;
      expect(title.endsWith("...")).toBe(true);
      const prefix = title.slice(0, -3);
      expect(text.startsWith(prefix)).toBe(true);
      const boundaries = new Set([...new Intl.Segmenter("en", { granularity: "grapheme" }).segment(text)].map((s) => s.index));
      boundaries.add(text.length);
      expect(boundaries.has(prefix.length)).toBe(true);
    });

    it("an accent right after the cut keeps its letter out of the title (ASCII before it is not enough)", async () => {
      const { store } = await engine.fresh();
      const text = "a".repeat(47) + "\u0301" + "b".repeat(10);
      const { sessionId } = await store.saveSession(input(msgs(text)));
      expect((await store.getSummary(sessionId)).title).toBe("a".repeat(46) + "...");
    });

    it("user title is kept on later saves until changed; empty title goes back to derived", async () => {
      const { store } = await engine.fresh();
      const { sessionId } = await store.saveSession(input(msgs("first question"), { title: "  My  title " }));
      let s = (await store.loadSession(sessionId))!;
      expect(s.metadata.title.trim()).toMatch(/^My\s+title$/);
      expect(s.metadata.title_is_custom).toBe(true);
      await store.saveSession(input(msgs("first question", "answer", "more"), { sessionId }));
      s = (await store.loadSession(sessionId))!;
      expect(s.metadata.title).toMatch(/^My\s+title$/);
      expect(s.metadata.title_is_custom).toBe(true);
      await store.saveSession(input(msgs("first question"), { sessionId, title: "Renamed" }));
      expect((await store.getSummary(sessionId)).title).toBe("Renamed");
      await store.saveSession(input(msgs("first question"), { sessionId }));
      expect((await store.getSummary(sessionId)).title).toBe("Renamed");
      await store.saveSession(input(msgs("first question"), { sessionId, title: "" }));
      s = (await store.loadSession(sessionId))!;
      expect(s.metadata.title).toBe("first question");
      expect(s.metadata.title_is_custom).toBe(false);
    });

    it("a derived title follows the first user message on later saves", async () => {
      const { store } = await engine.fresh();
      const { sessionId } = await store.saveSession(input([{ role: "assistant", content: "hi" }]));
      expect((await store.getSummary(sessionId)).title).toBe("Untitled Session");
      await store.saveSession(input([{ role: "assistant", content: "hi" }, { role: "user", content: "now a question" }], { sessionId }));
      expect((await store.getSummary(sessionId)).title).toBe("now a question");
    });

    it("renameSession sets a custom title kept by later saves and bumps the revision", async () => {
      const { store } = await engine.fresh();
      const { sessionId } = await store.saveSession(input(msgs("q")));
      const r = await store.renameSession(sessionId, "  New\n name ");
      expect(r).toEqual({ sessionId, revision: 2 });
      await store.saveSession(input(msgs("q", "a"), { sessionId }));
      const s = (await store.loadSession(sessionId))!;
      expect(s.metadata.title).toBe("New name");
      expect(s.metadata.title_is_custom).toBe(true);
      expect(s.metadata.revision).toBe(3);
    });

    it("tags are kept when omitted and replaced when given", async () => {
      const { store } = await engine.fresh();
      const { sessionId } = await store.saveSession(input(msgs("q"), { tags: ["a", "b"] }));
      await store.saveSession(input(msgs("q"), { sessionId }));
      expect((await store.getSummary(sessionId)).tags).toEqual(["a", "b"]);
      await store.saveSession(input(msgs("q"), { sessionId, tags: [] }));
      expect((await store.getSummary(sessionId)).tags).toEqual([]);
    });
  });

  describe("saveSession: incremental writes", () => {
    async function setup(n = 5) {
      const f = await engine.fresh();
      const messages = msgs(...Array.from({ length: n }, (_, i) => `message number ${i}`));
      const { sessionId } = await f.store.saveSession(input(messages));
      return { ...f, messages, sessionId, rows: await f.messageRows(sessionId) };
    }

    it("appending writes only the new rows (old row ids unchanged)", async () => {
      const { store, messageRows, messages, sessionId, rows } = await setup();
      const next = [...messages, { role: "user", content: "new one" }];
      await store.saveSession(input(next, { sessionId }));
      const after = (await messageRows(sessionId));
      expect(after.slice(0, 5)).toEqual(rows);
      expect(after).toHaveLength(6);
      expect(after[5]).toMatchObject({ position: 5, content: "new one" });
      expect(after[5]!.id).toBeGreaterThan(Math.max(...rows.map((r) => r.id)));
    });

    it("pushing onto the very same array works too", async () => {
      const { store, messageRows, messages, sessionId, rows } = await setup();
      messages.push({ role: "assistant", content: "pushed" });
      await store.saveSession(input(messages, { sessionId }));
      const after = (await messageRows(sessionId));
      expect(after.slice(0, 5)).toEqual(rows);
      expect(after.map((r) => r.content).at(-1)).toBe("pushed");
    });

    it("after a fresh loadSession in a new store, appending writes only new rows", async () => {
      const { messageRows, another, sessionId, rows } = await setup();
      const other = await another();
      const loaded = (await other.loadSession(sessionId))!;
      const next = [...loaded.conversation.messages, { role: "user", content: "from other" }];
      await other.saveSession(input(next, { sessionId, expectedRevision: loaded.metadata.revision }));
      const after = (await messageRows(sessionId));
      expect(after.slice(0, 5)).toEqual(rows);
      expect(after).toHaveLength(6);
    });

    it("re-saving equal (but new) message objects in a new store rewrites nothing", async () => {
      const { messageRows, another, sessionId, rows, messages } = await setup();
      const other = await another();
      const clone = JSON.parse(JSON.stringify(messages)) as Message[];
      await other.saveSession(input(clone, { sessionId }));
      expect((await messageRows(sessionId))).toEqual(rows);
    });

    // With a valid snapshot the prefix is compared by object identity only; equal-but-new objects
    // (e.g. messages rebuilt from a provider response or JSON-cloned by the caller) make the whole
    // session be deleted and re-inserted: cost grows with the session size, not with what changed.
    it("same store: re-saving equal but new message objects rewrites nothing", async () => {
      const { store, messageRows, messages, sessionId, rows } = await setup();
      const clone = JSON.parse(JSON.stringify(messages)) as Message[];
      await store.saveSession(input([...clone, { role: "user", content: "one more" }], { sessionId }));
      expect((await messageRows(sessionId)).slice(0, 5)).toEqual(rows);
    });

    it("an in-place change of the last message (streamed reply) is saved; earlier rows kept, the old version out of the context", async () => {
      const { store, messageRows, another, messages, sessionId, rows } = await setup();
      messages[4]!.content = "message number 4 — and more streamed text";
      await store.saveSession(input(messages, { sessionId }));
      const after = await messageRows(sessionId);
      expect(after.slice(0, 4)).toEqual(rows.slice(0, 4));
      expect(after.slice(4).map((r) => [r.position, r.content, r.context_epoch])).toEqual([
        [4, "message number 4", 1],
        [5, "message number 4 — and more streamed text", null],
      ]);
      expect((await (await another()).loadSession(sessionId))!.conversation.messages[4]!.content).toBe(
        "message number 4 — and more streamed text",
      );
    });

    it("in-place change of the last message plus an append is saved", async () => {
      const { store, another, messages, sessionId } = await setup();
      messages[4]!.content = "edited";
      messages.push({ role: "user", content: "appended" });
      await store.saveSession(input(messages, { sessionId }));
      const fresh = await another();
      expect((await fresh.loadSession(sessionId))!.conversation.messages.map((m) => m.content).slice(-2)).toEqual(["edited", "appended"]);
    });

    it("shrinking (truncate) deletes nothing: the tail leaves the context, the earlier rows stay as they were", async () => {
      const { store, messageRows, messages, sessionId, rows } = await setup(10);
      const r = await store.saveSession(input(messages.slice(0, 4), { sessionId }));
      expect(r.messageCount).toBe(4);
      const after = await messageRows(sessionId);
      expect(after.map(({ context_epoch: _, ...row }) => row)).toEqual(rows.map(({ context_epoch: _, ...row }) => row));
      expect(after.map((row) => row.context_epoch)).toEqual([null, null, null, null, 1, 1, 1, 1, 1, 1]);
      expect((await store.getSummary(sessionId)).messageCount).toBe(4);
      expect((await store.getSession(sessionId)).conversation.messages).toEqual(messages.slice(0, 4));
    });

    it("compaction (summary + last messages) keeps every row: the old ones leave the context, the kept ones are carried over", async () => {
      const { store, messageRows, another, messages, sessionId } = await setup(10);
      const compacted = [{ role: "system", content: "Summary of earlier talk" }, ...messages.slice(7)];
      await store.saveSession(input(compacted, { sessionId, contextChange: { kind: "compact-smart", through: 4 } }));
      const after = await messageRows(sessionId);
      expect(after.map((r) => [r.position, r.context_epoch, r.carried_from])).toEqual([
        ...Array.from({ length: 10 }, (_, i) => [i, 1, null]),
        [10, null, null],
        [11, null, 7],
        [12, null, 8],
        [13, null, 9],
      ]);
      const fresh = await another();
      expect((await fresh.loadSession(sessionId))!.conversation.messages).toEqual(compacted);
      // Search still finds the compacted text, and says it is outside the context.
      expect((await fresh.searchSessions("number 2")).map((r) => [r.id, r.matchPosition, r.matchInContext])).toEqual([[sessionId, 2, false]]);
      const all = (await fresh.loadSession(sessionId, { all: true }))!;
      expect(all.conversation.messages).toEqual(compacted);
      expect(all.context_history!.epochs).toEqual([{ epoch: 1, kind: "compact-smart", at: expect.any(String), removed: 10, appended: [10, 14] }]);
      expect(all.context_history!.out_of_context.map((r) => r.message)).toEqual(messages);
    });

    it("replacing a middle message object keeps earlier rows; the rest leaves the context and equal messages come back as copies", async () => {
      const { store, messageRows, another, messages, sessionId, rows } = await setup(6);
      const next = messages.slice();
      next[2] = { role: "user", content: "replaced middle" };
      await store.saveSession(input(next, { sessionId }));
      const after = await messageRows(sessionId);
      expect(after.slice(0, 2)).toEqual(rows.slice(0, 2));
      expect(after.filter((r) => r.context_epoch === null).map((r) => r.content)).toEqual(next.map((m) => m.content));
      expect(after.slice(6).map((r) => r.carried_from)).toEqual([null, 3, 4, 5]);
      const fresh = await another();
      expect((await fresh.loadSession(sessionId))!.conversation.messages).toEqual(next);
    });

    // The snapshot cache compares old messages by object identity, so an in-place edit of a message
    // that is not the last one is silently NOT saved, breaking "load(save(x)) returns x" (DESIGN §2).
    // Messages are values (see snapshot-cache.ts): the saving store compares old messages by
    // identity and never re-reads them, so an edit must replace the object. A store that has no
    // snapshot of the session compares rows, and so sees any edit.
    it("a middle message replaced by a new object is saved", async () => {
      const { store, another, messages, sessionId } = await setup(6);
      const edited = messages.map((m, i) => (i === 1 ? { ...m, content: "edited" } : m));
      await store.saveSession(input(edited, { sessionId }));
      const fresh = await another();
      expect((await fresh.loadSession(sessionId))!.conversation.messages[1]!.content).toBe("edited");
    });

    it("a store without a snapshot compares rows and saves an in-place edit of a middle message", async () => {
      const { another, messages, sessionId } = await setup(6);
      messages[1]!.content = "edited in place";
      const other = await another();
      await other.saveSession(input(messages, { sessionId }));
      const fresh = await another();
      expect((await fresh.loadSession(sessionId))!.conversation.messages[1]!.content).toBe("edited in place");
    });

    it("a save based on a revision another store has moved on from is a conflict (safe by default); nothing changes", async () => {
      const { store, messageRows, another, messages, sessionId } = await setup(3);
      const other = await another();
      const loaded = (await other.loadSession(sessionId))!;
      await other.saveSession(input([...loaded.conversation.messages, { role: "user", content: "other's" }], { sessionId }));
      const before = await messageRows(sessionId);
      const err = await store.saveSession(input([...messages, { role: "user", content: "mine" }], { sessionId })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SessionConflictError);
      expect(err).toMatchObject({ sessionId, expectedRevision: 1, actualRevision: 2, recreated: false });
      expect(await messageRows(sessionId)).toEqual(before);
      // The other store's next save is based on what it saved: no conflict for it.
      await other.saveSession(input([...loaded.conversation.messages, { role: "user", content: "other's" }, { role: "user", content: "again" }], { sessionId }));
    });

    it("force: when another store saved in between, the rows are compared, not the stale snapshot", async () => {
      const { store, messageRows, another, messages, sessionId } = await setup(3);
      const other = await another();
      const loaded = (await other.loadSession(sessionId))!;
      await other.saveSession(input([...loaded.conversation.messages, { role: "user", content: "other's" }], { sessionId }));
      const mine = [...messages, { role: "user", content: "mine" }];
      await store.saveSession(input(mine, { sessionId, force: true }));
      const fresh = await another();
      expect((await fresh.loadSession(sessionId))!.conversation.messages).toEqual(mine);
      // The other store's message is kept, outside the context.
      expect((await messageRows(sessionId)).map((r) => [r.content, r.context_epoch])).toEqual([
        ["message number 0", null],
        ["message number 1", null],
        ["message number 2", null],
        ["other's", 1],
        ["mine", null],
      ]);
    });

    it("a session deleted and created again elsewhere is another incarnation: a conflict even at the same revision", async () => {
      const { store, another, messages, sessionId } = await setup(3);
      const other = await another();
      await other.deleteSession(sessionId);
      await other.saveSession(input(msgs("completely", "different"), { sessionId }));
      expect((await other.getSummary(sessionId)).revision).toBe(1);
      const err = await store.saveSession(input([...messages, { role: "user", content: "x" }], { sessionId })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SessionConflictError);
      expect(err).toMatchObject({ recreated: true });
      expect((err as Error).message).toMatch(/deleted and created again/);
      await expect(store.saveSession(input([...messages, { role: "user", content: "x" }], { sessionId, expectedRevision: 1 }))).rejects.toMatchObject({ recreated: true });
      expect((await other.getSession(sessionId)).conversation.messages).toEqual(msgs("completely", "different"));
    });

    it("force: a session deleted and recreated elsewhere is fully rewritten by a stale store", async () => {
      const { store, another, messages, sessionId } = await setup(3);
      const other = await another();
      await other.deleteSession(sessionId);
      await other.saveSession(input(msgs("completely", "different"), { sessionId }));
      await store.saveSession(input([...messages, { role: "user", content: "x" }], { sessionId, force: true }));
      const fresh = await another();
      expect((await fresh.loadSession(sessionId))!.conversation.messages).toEqual([...messages, { role: "user", content: "x" }]);
    });
  });

  describe("saveSession: conflicts and errors", () => {
    it("expectedRevision matching saves; stale -> SessionConflictError and nothing changes", async () => {
      const { store, messageRows } = await engine.fresh();
      const { sessionId } = await store.saveSession(input(msgs("q"), { sessionId: "s1" }));
      await store.saveSession(input(msgs("q", "a"), { sessionId, expectedRevision: 1 }));
      const before = (await messageRows(sessionId));
      const err = await store.saveSession(input(msgs("q", "other"), { sessionId, expectedRevision: 1 })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SessionConflictError);
      expect(err).toMatchObject({ sessionId: "s1", expectedRevision: 1, actualRevision: 2 });
      expect((err as Error).message).toMatch(/\/save --new/);
      expect((await messageRows(sessionId))).toEqual(before);
      expect((await store.getSummary("s1")).revision).toBe(2);
    });

    it("expectedRevision on a session deleted since -> SessionConflictError(actualRevision null), nothing created", async () => {
      const { store, counts } = await engine.fresh();
      await store.saveSession(input(msgs("q"), { sessionId: "gone" }));
      await store.deleteSession("gone");
      const err = await store.saveSession(input(msgs("q", "a"), { sessionId: "gone", expectedRevision: 1 })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SessionConflictError);
      expect(err).toMatchObject({ actualRevision: null });
      expect((err as Error).message).toMatch(/deleted/);
      expect((await counts())).toEqual({ sessions: 0, messages: 0 });
    });

    it("createOnly on a taken id -> SessionExistsError; on a free id creates", async () => {
      const { store, counts } = await engine.fresh();
      await store.saveSession(input(msgs("q"), { sessionId: "taken" }));
      await expect(store.saveSession(input(msgs("other"), { sessionId: "taken", createOnly: true }))).rejects.toBeInstanceOf(SessionExistsError);
      expect((await store.loadSession("taken"))!.conversation.messages).toEqual(msgs("q"));
      expect((await store.saveSession(input(msgs("z"), { sessionId: "free", createOnly: true }))).created).toBe(true);
      expect((await counts()).sessions).toBe(2);
    });

    it.each([
      ["no conversation", { model: "m", provider: "p" }],
      ["messages not an array", { conversation: { messages: "nope" }, model: "m", provider: "p" }],
      ["a message that is not an object", { conversation: { messages: [{ role: "user", content: "ok" }, "str"] }, model: "m", provider: "p" }],
      ["a message without role", { conversation: { messages: [{ role: "user", content: "ok" }, { content: "x" }] }, model: "m", provider: "p" }],
      ["a null message", { conversation: { messages: [null] }, model: "m", provider: "p" }],
      ["tags not strings", { conversation: { messages: [] }, model: "m", provider: "p", tags: [1] }],
      ["title not text", { conversation: { messages: [] }, model: "m", provider: "p", title: 5 }],
    ])("invalid input (%s) -> InvalidSessionDataError, nothing written", async (_name, bad) => {
      const { store, counts } = await engine.fresh();
      await expect(store.saveSession(bad as never)).rejects.toBeInstanceOf(InvalidSessionDataError);
      expect((await counts())).toEqual({ sessions: 0, messages: 0 });
    });

    it("invalid input on an update leaves the stored session untouched", async () => {
      const { store, messageRows } = await engine.fresh();
      const original = msgs("a", "b", "c");
      await store.saveSession(input(original, { sessionId: "keep" }));
      const before = (await messageRows("keep"));
      await expect(store.saveSession(input([{ role: "user", content: "x" }, { content: "no role" } as never], { sessionId: "keep" }))).rejects.toBeInstanceOf(
        InvalidSessionDataError,
      );
      expect((await messageRows("keep"))).toEqual(before);
      expect((await store.getSummary("keep")).revision).toBe(1);
      // the store still works and its cache was not poisoned
      await store.saveSession(input([...original, { role: "user", content: "d" }], { sessionId: "keep" }));
      expect((await messageRows("keep")).slice(0, 3)).toEqual(before);
    });

    it.each(["../etc/passwd", "", "a b", ".x", "x".repeat(129)])("invalid sessionId %j -> InvalidSessionIdError", async (id) => {
      const { store, counts } = await engine.fresh();
      await expect(store.saveSession(input(msgs("q"), { sessionId: id }))).rejects.toBeInstanceOf(InvalidSessionIdError);
      await expect(store.saveSession(input(msgs("q"), { parentId: id === "" ? "../x" : id }))).rejects.toBeInstanceOf(InvalidSessionIdError);
      expect((await counts())).toEqual({ sessions: 0, messages: 0 });
    });
  });

  describe("saveSession: keepMessages (long imports written in chunks)", () => {
    it("keeps the stored prefix, writes the chunk after it; the stored rest leaves the context", async () => {
      const { store, messageRows } = await engine.fresh();
      await store.saveSession(input(msgs("one", "two", "three", "four"), { sessionId: "chunked", title: "Chunked" }));
      const before = (await messageRows("chunked"));
      const r = await store.saveSession(input(msgs("THREE", "FOUR", "five"), { sessionId: "chunked", keepMessages: 2 }));
      expect(r.messageCount).toBe(5);
      const after = (await messageRows("chunked"));
      expect(after.filter((m) => m.context_epoch === null).map((m) => m.content)).toEqual(["one", "two", "THREE", "FOUR", "five"]);
      expect(after.filter((m) => m.context_epoch !== null).map((m) => m.content)).toEqual(["three", "four"]);
      expect(after.slice(0, 2).map((m) => m.id)).toEqual(before.slice(0, 2).map((m) => m.id));
      const loaded = await store.getSession("chunked");
      expect(loaded.metadata.title).toBe("Chunked");
      expect(loaded.metadata.message_count).toBe(5);
    });

    it("a re-sent message equal to the stored one is not rewritten, and a shorter chunk shortens the context", async () => {
      const { store, messageRows } = await engine.fresh();
      await store.saveSession(input(msgs("a", "b", "c"), { sessionId: "k" }));
      const before = (await messageRows("k"));
      await store.saveSession(input([{ role: "assistant", content: "b" }], { sessionId: "k", keepMessages: 1 }));
      const after = (await messageRows("k"));
      expect(after.map((m) => [m.content, m.context_epoch])).toEqual([["a", null], ["b", null], ["c", 1]]);
      expect((await store.getSession("k")).conversation.messages.map((m) => m.content)).toEqual(["a", "b"]);
      expect(after[1]!.id).toBe(before[1]!.id);
    });

    it("keepMessages: 0 writes a whole session without caching it; the title then comes from the messages", async () => {
      const { store } = await engine.fresh();
      const r = await store.saveSession(input(msgs("first question"), { sessionId: "zero", keepMessages: 0 }));
      expect(r).toMatchObject({ created: true, messageCount: 1, title: "first question" });
    });

    it("refuses to keep more messages than the session has, or a session that does not exist", async () => {
      const { store } = await engine.fresh();
      await expect(store.saveSession(input(msgs("x"), { sessionId: "nope", keepMessages: 2 }))).rejects.toBeInstanceOf(InvalidSessionDataError);
      await store.saveSession(input(msgs("a"), { sessionId: "short" }));
      await expect(store.saveSession(input(msgs("x"), { sessionId: "short", keepMessages: 2 }))).rejects.toThrow(/Cannot keep 2 stored messages of session short: it has 1/);
      await expect(store.saveSession(input(msgs("x"), { sessionId: "short", keepMessages: -1 }))).rejects.toBeInstanceOf(InvalidSessionDataError);
      expect((await store.getSession("short")).conversation.messages).toEqual([{ role: "user", content: "a" }]);
    });

    it("works through importSessions, in one transaction with the ledger entry", async () => {
      const { store } = await engine.fresh();
      const source = { key: "/src/file.jsonl", size: 10, sha256: "ab", reason: null };
      const metadataExtra = { imported_from: { file: source.key } };
      const [first] = await store.importSessions([{ input: { ...input(msgs("q", "a")), sessionId: "imp", keepMessages: 0, metadataExtra }, onConflict: "rename", source: { ...source, partial: true } }]);
      expect(first).toMatchObject({ sessionId: "imp", status: "created", revision: 1 });
      await store.importSessions([
        { input: { ...input(msgs("q2", "a2")), sessionId: "imp", keepMessages: 2, title: "Imported", metadataExtra }, onConflict: "rename", source, continuesRevision: 1 },
      ]);
      const loaded = await store.getSession("imp");
      expect(loaded.conversation.messages.map((m) => m.content)).toEqual(["q", "a", "q2", "a2"]);
      expect(loaded.metadata.title).toBe("Imported");
      expect(await store.ledger.get("/src/file.jsonl")).toMatchObject({ sessionId: "imp", outcome: "updated", size: 10, revision: 2 });
    });

    it("a part that keeps messages updates the preview index, and a too deeply nested one fails cleanly", async () => {
      const { store } = await engine.fresh();
      await store.saveSession(input(msgs("one", "two"), { sessionId: "pv" }));
      const preview_messages = [{ role: "system", content: "FILE PREVIEW: zebra.ts", metadata: { preview_path: "zebra.ts", preview_body: "export const zebrafish = 1;" } }];
      await store.saveSession({ ...input(msgs("three"), { sessionId: "pv", keepMessages: 2 }), conversation: { messages: msgs("three"), preview_messages } });
      expect((await store.searchSessions("zebrafish")).map((r) => [r.id, r.previewCount])).toEqual([["pv", 1]]);
      let deep: unknown = "bottom";
      for (let i = 0; i < 100_000; i++) deep = [deep];
      await expect(store.saveSession(input([{ role: "user", content: "x", deep }], { sessionId: "pv", keepMessages: 3 }))).rejects.toThrow(/nested too deeply/);
      expect((await store.getSession("pv")).conversation.messages.map((m) => m.content)).toEqual(["one", "two", "three"]);
    });

    it("messageTimes go with the given messages, from the kept position on", async () => {
      const { store, messageRows } = await engine.fresh();
      await store.saveSession(input(msgs("one", "two"), { sessionId: "times", messageTimes: ["2025-01-01T00:00:00.000Z", "2025-01-01T00:00:01.000Z"] }));
      await store.saveSession(input(msgs("three"), { sessionId: "times", keepMessages: 2, messageTimes: ["2025-01-01T00:00:02.000Z"] }));
      const times = (await messageRows("times")).map((r) => r.created_at);
      expect(times).toEqual(["2025-01-01T00:00:00.000Z", "2025-01-01T00:00:01.000Z", "2025-01-01T00:00:02.000Z"]);
    });
  });
});

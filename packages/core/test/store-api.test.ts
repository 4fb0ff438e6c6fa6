import { hostname } from "node:os";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  AmbiguousSessionIdError,
  InvalidSessionDataError,
  InvalidSessionIdError,
  SessionNotFoundError,
  parseSessionEnvelope,
  toSaveInput,
  type ImportItem,
  type LedgerEntry,
  type Session,
} from "../src/index.js";
import { describeEngines } from "./engines.js";
import { input, msgs } from "./helpers.js";

afterEach(() => {
  vi.useRealTimers();
});

describeEngines("the store API", (engine) => {
  describe("loadSession / getSession / prefixes", () => {
    async function seeded() {
      const f = await engine.fresh();
      for (const id of ["20250107_153045", "20250107_153046", "20250108_090000", "abc", "abcd", "abd-x"]) {
        await f.store.saveSession(input(msgs(`question ${id}`), { sessionId: id }));
      }
      return f;
    }

    it("loads by exact id and by unique prefix", async () => {
      const { store } = await seeded();
      expect((await store.loadSession("20250108_090000"))!.metadata.session_id).toBe("20250108_090000");
      expect((await store.loadSession("20250108"))!.metadata.session_id).toBe("20250108_090000");
      expect((await store.loadSession("abd"))!.metadata.session_id).toBe("abd-x");
      expect(await store.resolveSessionId("20250107_153046")).toBe("20250107_153046");
      expect(await store.resolveSessionId("20250108")).toBe("20250108_090000");
    });

    it("an exact id wins over longer ids it prefixes", async () => {
      const { store } = await seeded();
      expect((await store.loadSession("abc"))!.metadata.session_id).toBe("abc");
    });

    it("an ambiguous prefix throws AmbiguousSessionIdError listing the candidates", async () => {
      const { store } = await seeded();
      const err = await store.loadSession("20250107_15").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AmbiguousSessionIdError);
      expect((err as AmbiguousSessionIdError).candidates).toEqual(["20250107_153045", "20250107_153046"]);
      expect((err as Error).message).toContain("20250107_153045, 20250107_153046");
      await expect(store.getSession("ab")).rejects.toBeInstanceOf(AmbiguousSessionIdError);
      await expect(store.resolveSessionId("2025")).rejects.toBeInstanceOf(AmbiguousSessionIdError);
    });

    it("unknown -> null from loadSession, SessionNotFoundError 'Session not found: <id>' from getSession", async () => {
      const { store } = await seeded();
      expect(await store.loadSession("zzz")).toBeNull();
      expect(await store.loadSession("abe")).toBeNull();
      const err = await store.getSession("zzz").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SessionNotFoundError);
      expect((err as Error).message).toBe("Session not found: zzz");
      await expect(store.getSummary("nope")).rejects.toBeInstanceOf(SessionNotFoundError);
    });

    it("invalid ids are rejected before SQL (loadSession, findSessionIds, deleteSession)", async () => {
      const { store } = await seeded();
      await expect(store.loadSession("../etc/passwd")).rejects.toBeInstanceOf(InvalidSessionIdError);
      await expect(store.loadSession("")).rejects.toBeInstanceOf(InvalidSessionIdError);
      await expect(store.findSessionIds("a%")).rejects.toBeInstanceOf(InvalidSessionIdError);
      await expect(store.deleteSession("a b")).rejects.toBeInstanceOf(InvalidSessionIdError);
    });

    it("a complete id that no longer exists is not found, never a prefix of its _2 sibling (delete run twice, show, rename, load)", async () => {
      const { store } = await engine.fresh();
      await store.saveSession(input(msgs("first"), { sessionId: "20261125_212652" }));
      await store.saveSession(input(msgs("second"), { sessionId: "20261125_212652_2" }));
      expect(await store.resolveSessionId("20261125_212652")).toBe("20261125_212652");
      expect(await store.deleteSession(await store.resolveSessionId("20261125_212652"))).toBe(true);
      await expect(store.resolveSessionId("20261125_212652")).rejects.toBeInstanceOf(SessionNotFoundError);
      expect(await store.loadSession("20261125_212652")).toBeNull();
      await expect(store.renameSession("20261125_212652", "x")).rejects.toBeInstanceOf(SessionNotFoundError);
      await expect(store.getSummary("20261125_212652")).rejects.toBeInstanceOf(SessionNotFoundError);
      expect((await store.getSession("20261125_212652_2")).metadata.title).toBe("second");
      // A date typed as a prefix still finds the session of that second.
      expect(await store.resolveSessionId("20261125")).toBe("20261125_212652_2");
    });

    it("ids with a prefix come in bytewise order on every engine (COLLATE \"C\" = SQLite's BINARY)", async () => {
      const { store } = await engine.fresh();
      const ids = ["a", "A", "a-1", "a.1", "a_1", "a=1", "aB", "ab", "a0", "a9", "b", "a_", "a__2", "Z", "z"];
      for (const id of ids) await store.saveSession(input(msgs(`q ${id}`), { sessionId: id, title: `Title ${id}` }));
      const bytewise = (list: string[]) => [...list].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
      for (const prefix of ["a", "A", "a_", "a-", "a.", "aB", "ab", "a=", "Z", "z"]) {
        expect(await store.findSessionIds(prefix), prefix).toEqual(bytewise(ids.filter((id) => id.startsWith(prefix))));
      }
      expect((await store.listSessions({ orderBy: "title", limit: -1 })).map((s) => s.title)).toEqual(bytewise(ids.map((id) => `Title ${id}`)));
    });

    it("findSessionIds lists ids with a prefix, in order, with a limit; '_' is not a wildcard", async () => {
      const { store } = await seeded();
      expect(await store.findSessionIds("ab")).toEqual(["abc", "abcd", "abd-x"]);
      expect(await store.findSessionIds("ab", 2)).toEqual(["abc", "abcd"]);
      expect(await store.findSessionIds("20250107_")).toEqual(["20250107_153045", "20250107_153046"]);
      await store.saveSession(input(msgs("x"), { sessionId: "20250107x" }));
      expect(await store.findSessionIds("20250107_")).toEqual(["20250107_153045", "20250107_153046"]);
    });
  });

  describe("envelope", () => {
    it("has the legacy shape with every metadata key, conversation fields and state", async () => {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(new Date("2026-01-07T14:30:45.123Z"));
      const { store } = await engine.fresh();
      const messages = msgs("How do I fix CI?", "Like this.");
      await store.saveSession({
        sessionId: "env1",
        conversation: { messages, system_prompt: "sys", system_added: true, max_history: 50, preview_messages: [{ a: 1 }], custom_field: { x: [1, "two"] } },
        model: "claude",
        provider: "anthropic",
        profile: "work",
        tags: ["ci"],
        conversationState: { stage: "done", n: 3 },
        toolSelectionStats: { read_file: 4 },
        extra: { execution_state: { step: 2 } },
        metadataExtra: { legacy_field: "kept", nested: { deep: true } },
      });
      const s = (await store.loadSession("env1"))!;
      expect(s).toEqual({
        metadata: {
          session_id: "env1",
          created_at: "2026-01-07T14:30:45.123Z",
          updated_at: "2026-01-07T14:30:45.123Z",
          model: "claude",
          provider: "anthropic",
          profile: "work",
          message_count: 2,
          title: "How do I fix CI?",
          tags: ["ci"],
          title_is_custom: false,
          revision: 1,
          parent_id: null,
          fork_point: null,
          legacy_field: "kept",
          nested: { deep: true },
        },
        conversation: { messages, system_prompt: "sys", system_added: true, max_history: 50, preview_messages: [{ a: 1 }], custom_field: { x: [1, "two"] } },
        conversation_state: { stage: "done", n: 3 },
        tool_selection_stats: { read_file: 4 },
        execution_state: { step: 2 },
      });
      expect(parseSessionEnvelope(JSON.parse(JSON.stringify(s)))).toEqual(s);
    });

    it("metadataExtra cannot override real metadata (session_id, revision)", async () => {
      const { store } = await engine.fresh();
      await store.saveSession(input(msgs("q"), { sessionId: "real", metadataExtra: { session_id: "fake", revision: 99, other: 1 } }));
      const s = (await store.loadSession("real"))!;
      expect(s.metadata.session_id).toBe("real");
      expect(s.metadata.revision).toBe(1);
    });

    it("toSaveInput(load(x)) recreates the session in another store", async () => {
      const { store } = await engine.fresh();
      await store.saveSession({
        sessionId: "rt",
        conversation: { messages: [...msgs("q1", "a1"), { role: "tool", content: null, tool_call_id: "c1", name: "fn", weird: [1] }], system_prompt: "s" },
        model: "m",
        provider: "p",
        title: "Custom",
        tags: ["t"],
        conversationState: { a: 1 },
        toolSelectionStats: null,
        extra: { top: true },
        metadataExtra: { meta: "x" },
        createdAt: "2024-05-01T10:00:00.000Z",
        updatedAt: "2024-05-02T10:00:00.000Z",
      });
      await store.saveSession(input(msgs("q1", "a1", "q2"), { sessionId: "rt2" }));
      const other = (await engine.fresh()).store;
      for (const id of ["rt", "rt2"]) {
        const original = (await store.loadSession(id))!;
        await other.saveSession(toSaveInput(JSON.parse(JSON.stringify(original)) as Session));
        expect(await other.loadSession(id)).toEqual(original);
      }
    });

    it("parseSessionEnvelope says what is wrong", () => {
      expect(() => parseSessionEnvelope(null, "item 3")).toThrow(/item 3 is not a JSON object/);
      expect(() => parseSessionEnvelope({ conversation: { messages: [] } })).toThrow(InvalidSessionDataError);
      expect(() => parseSessionEnvelope({ metadata: {}, conversation: {} })).toThrow(/conversation.messages/);
      expect(() => parseSessionEnvelope({ metadata: { session_id: "x" }, conversation: { messages: [{}] } })).toThrow(/message 0 has no "role"/);
      expect(() => parseSessionEnvelope({ metadata: {}, conversation: { messages: [] } })).toThrow(/session_id/);
    });
  });

  describe("list / count / summary", () => {
    async function seeded() {
      vi.useFakeTimers({ toFake: ["Date"] });
      const f = await engine.fresh();
      const make = async (id: string, title: string, at: string) => {
        vi.setSystemTime(new Date(at));
        await f.store.saveSession(input(msgs("q"), { sessionId: id, title }));
      };
      await make("s1", "banana", "2025-01-01T00:00:00.000Z");
      await make("s2", "apple", "2025-01-02T00:00:00.000Z");
      await make("s3", "cherry", "2025-01-03T00:00:00.000Z");
      vi.setSystemTime(new Date("2025-01-04T00:00:00.000Z"));
      await f.store.saveSession(input(msgs("q", "a"), { sessionId: "s1" })); // s1 updated last
      vi.useRealTimers();
      return f;
    }

    it("orders by updated (default), created, title", async () => {
      const { store } = await seeded();
      expect((await store.listSessions()).map((s) => s.id)).toEqual(["s1", "s3", "s2"]);
      expect((await store.listSessions({ orderBy: "updated" })).map((s) => s.id)).toEqual(["s1", "s3", "s2"]);
      expect((await store.listSessions({ orderBy: "created" })).map((s) => s.id)).toEqual(["s3", "s2", "s1"]);
      expect((await store.listSessions({ orderBy: "title" })).map((s) => s.title)).toEqual(["apple", "banana", "cherry"]);
    });

    it("limit, offset, -1 = all, default 10", async () => {
      const { store } = await seeded();
      for (let i = 0; i < 10; i++) await store.saveSession(input(msgs(`more ${i}`), { sessionId: `m${i}` }));
      expect(await store.listSessions()).toHaveLength(10);
      expect(await store.listSessions({ limit: -1 })).toHaveLength(13);
      expect((await store.listSessions({ limit: 2, offset: 1, orderBy: "title" })).map((s) => s.title)).toEqual(["banana", "cherry"]);
      expect(await store.listSessions({ limit: -1, offset: 12 })).toHaveLength(1);
      expect(await store.listSessions({ limit: 0 })).toEqual([]);
      expect(await store.countSessions()).toBe(13);
    });

    it("summaries carry the list fields", async () => {
      const { store } = await seeded();
      const s = await store.getSummary("s1");
      expect(s).toEqual({
        id: "s1",
        title: "banana",
        model: "gpt-test",
        provider: "openai",
        profile: "default",
        messageCount: 2,
        createdAt: "2025-01-01T00:00:00.000Z",
        updatedAt: "2025-01-04T00:00:00.000Z",
        tags: [],
        parentId: null,
        forkPoint: null,
        revision: 2,
        previewCount: 0,
        // A server's sessions say where they belong and who wrote them from where.
        ...(engine.name === "postgres" ? { project: expect.stringMatching(/^test-/), owner: expect.any(String), machine: hostname(), shared: false } : {}),
      });
      expect(await store.getSummary("s3")).toMatchObject({ id: "s3", messageCount: 1 });
    });

    it("an empty store lists nothing and counts 0", async () => {
      const { store } = await engine.fresh();
      expect(await store.listSessions({ limit: -1 })).toEqual([]);
      expect(await store.countSessions()).toBe(0);
    });
  });

  describe("delete / rename / fork", () => {
    it("deleteSession cascades to messages and the search index", async () => {
      const { store, counts } = await engine.fresh();
      await store.saveSession(input(msgs("zebra crossing question", "zebra answer"), { sessionId: "del" }));
      await store.saveSession(input(msgs("other"), { sessionId: "keep" }));
      expect(await store.searchSessions("zebra")).toHaveLength(1);
      expect(await store.deleteSession("del")).toBe(true);
      expect(await store.deleteSession("del")).toBe(false);
      expect(await store.searchSessions("zebra")).toEqual([]);
      expect(await counts()).toEqual({ sessions: 1, messages: 1 });
    });

    it("deleteSession needs the exact id (no prefix deletes)", async () => {
      const { store } = await engine.fresh();
      await store.saveSession(input(msgs("q"), { sessionId: "longid" }));
      expect(await store.deleteSession("long")).toBe(false);
      expect(await store.countSessions()).toBe(1);
    });

    it("deleteSessions by prefix and all", async () => {
      const { store, counts } = await engine.fresh();
      for (const id of ["a1", "a2", "ab", "b1", "b2"]) await store.saveSession(input(msgs(`m ${id}`), { sessionId: id }));
      expect(await store.deleteSessions({ prefix: "a" })).toBe(3);
      expect((await store.listSessions({ limit: -1, orderBy: "title" })).map((s) => s.id)).toEqual(["b1", "b2"]);
      expect(await store.deleteSessions({ prefix: "zz" })).toBe(0);
      await expect(store.deleteSessions({ prefix: "%" })).rejects.toBeInstanceOf(InvalidSessionIdError);
      expect(await store.deleteSessions({ all: true })).toBe(2);
      expect(await counts()).toEqual({ sessions: 0, messages: 0 });
    });

    it("renameSession: prefix accepted, unknown -> SessionNotFoundError", async () => {
      const { store } = await engine.fresh();
      await store.saveSession(input(msgs("q"), { sessionId: "rename-me" }));
      expect(await store.renameSession("rename", "Café notes")).toEqual({ sessionId: "rename-me", revision: 2 });
      expect((await store.getSummary("rename-me")).title).toBe("Café notes");
      expect((await store.searchSessions("cafe")).map((r) => r.id)).toEqual(["rename-me"]);
      await expect(store.renameSession("nope", "x")).rejects.toBeInstanceOf(SessionNotFoundError);
    });

    // Regression: renameSession used to throw `new InvalidSessionIdError("(empty title)")`, whose message read
    // 'Invalid session id "(empty title)": ids are 1-128 characters…' — wrong type and misleading.
    it("renameSession with an empty title -> InvalidSessionDataError about the title (regression, fixed in 3f5b6c8)", async () => {
      const { store } = await engine.fresh();
      await store.saveSession(input(msgs("q"), { sessionId: "r" }));
      const err = await store.renameSession("r", "   ").catch((e: unknown) => e);
      expect((await store.getSummary("r")).title).toBe("q");
      expect(err).toBeInstanceOf(InvalidSessionDataError);
      expect((err as Error).message).toMatch(/title/i);
    });

    it("forkSession copies under a new id with parent_id, custom titles get ' (fork)'", async () => {
      const { store } = await engine.fresh();
      await store.saveSession({
        ...input(msgs("q", "a"), { sessionId: "src", title: "Mine", tags: ["x"], conversationState: { s: 1 }, extra: { execution_state: 1 } }),
      });
      const f = await store.forkSession("src");
      expect(f.created).toBe(true);
      expect(f.sessionId).not.toBe("src");
      const copy = (await store.loadSession(f.sessionId))!;
      const orig = (await store.loadSession("src"))!;
      expect(copy.metadata.parent_id).toBe("src");
      expect(copy.metadata.title).toBe("Mine (fork)");
      expect(copy.conversation).toEqual(orig.conversation);
      expect(copy.conversation_state).toEqual({ s: 1 });
      expect(copy.execution_state).toBe(1);
      expect(copy.metadata.tags).toEqual(["x"]);
      expect((await store.getSummary(f.sessionId)).parentId).toBe("src");
      const g = await store.forkSession("src", { title: "Named fork" });
      expect((await store.getSummary(g.sessionId)).title).toBe("Named fork");
      await store.saveSession(input(msgs("derived title"), { sessionId: "src2" }));
      const h = await store.forkSession("src2");
      expect((await store.getSummary(h.sessionId)).title).toBe("derived title");
      await expect(store.forkSession("missing")).rejects.toBeInstanceOf(SessionNotFoundError);
    });
  });

  describe("export / import / ledger", () => {
    it("exportSessions yields every session oldest first, lazily", async () => {
      const { store } = await engine.fresh();
      await store.saveSession(input(msgs("b"), { sessionId: "late", createdAt: "2025-02-01T00:00:00Z" }));
      await store.saveSession(input(msgs("a"), { sessionId: "early", createdAt: "2025-01-01T00:00:00Z" }));
      const gen = store.exportSessions();
      const first = await gen.next();
      expect(first.done).toBe(false);
      expect((first.value as Session).metadata.session_id).toBe("early");
      const rest: Session[] = [];
      for await (const session of gen) rest.push(session);
      expect(rest.map((s) => s.metadata.session_id)).toEqual(["late"]);
      expect(rest[0]).toEqual(await store.loadSession("late"));
    });

    function item(id: string, onConflict: ImportItem["onConflict"], text: string): ImportItem {
      const key = `/legacy/${id}-${text}.json`;
      return {
        input: { ...input(msgs(text)), sessionId: id, metadataExtra: { legacy: { file: key } } },
        onConflict,
        source: { key, size: text.length, sha256: "ab".repeat(32), reason: null },
      };
    }

    it("skip / rename / overwrite, with ledger rows", async () => {
      const { store } = await engine.fresh();
      await store.saveSession(input(msgs("existing"), { sessionId: "x1", title: "Keep?" }));
      await store.saveSession(input(msgs("existing"), { sessionId: "x2" }));
      await store.saveSession(input(msgs("existing"), { sessionId: "x3" }));
      const results = await store.importSessions([item("new1", "skip", "fresh"), item("x1", "skip", "incoming"), item("x2", "rename", "incoming"), item("x3", "overwrite", "incoming")]);
      expect(results).toEqual([
        { requestedId: "new1", sessionId: "new1", status: "created", revision: 1 },
        { requestedId: "x1", sessionId: null, status: "skipped-conflict", existing: { sessionId: "x1", reason: "other-source" } },
        { requestedId: "x2", sessionId: "x2_2", status: "renamed", existing: { sessionId: "x2", reason: "other-source" }, revision: 1 },
        { requestedId: "x3", sessionId: "x3", status: "overwritten", revision: 2 },
      ]);
      expect((await store.loadSession("x1"))!.conversation.messages).toEqual(msgs("existing"));
      expect((await store.loadSession("x2"))!.conversation.messages).toEqual(msgs("existing"));
      expect((await store.loadSession("x2_2"))!.conversation.messages).toEqual(msgs("incoming"));
      expect((await store.loadSession("x3"))!.conversation.messages).toEqual(msgs("incoming"));
      const ledger = await store.ledger.list();
      expect(ledger).toHaveLength(4);
      const byPath = Object.fromEntries(ledger.map((e) => [e.sourcePath, e]));
      expect(byPath["/legacy/new1-fresh.json"]).toMatchObject({ sessionId: "new1", outcome: "imported", size: 5, revision: 1 });
      expect(byPath["/legacy/x1-incoming.json"]).toMatchObject({ sessionId: null, outcome: "conflict", revision: null });
      expect(byPath["/legacy/x2-incoming.json"]).toMatchObject({ sessionId: "x2_2", outcome: "imported", revision: 1 });
      expect(byPath["/legacy/x3-incoming.json"]).toMatchObject({ sessionId: "x3", outcome: "imported", revision: 2 });
    });

    it("rename maps ids for the whole batch first and remaps parents inside it", async () => {
      const { store } = await engine.fresh();
      await store.saveSession(input(msgs("already here"), { sessionId: "X" }));
      const file = (id: string, text: string, parentId: string | null = null): ImportItem => ({ input: { ...input(msgs(text)), sessionId: id, parentId }, onConflict: "rename" });
      // A fork listed before its parent, the parent's id taken in the store, its sibling's id free.
      const results = await store.importSessions([file("fork", "fork of X_2", "X_2"), file("X", "imported X"), file("X_2", "imported X_2")]);
      expect(results.map((r) => [r.requestedId, r.sessionId, r.status])).toEqual([
        ["fork", "fork", "created"],
        ["X", "X_3", "renamed"],
        ["X_2", "X_2", "created"],
      ]);
      expect((await store.getSession("fork")).metadata.parent_id).toBe("X_2");
      expect((await store.getSession("X_3")).conversation.messages).toEqual(msgs("imported X"));
      const again = await store.importSessions([file("X_2", "again X_2"), file("child", "child of X_2", "X_2")]);
      expect(again.map((r) => [r.requestedId, r.sessionId, r.status])).toEqual([
        ["X_2", "X_2_2", "renamed"],
        ["child", "child", "created"],
      ]);
      expect((await store.getSession("child")).metadata.parent_id).toBe("X_2_2");
    });

    it("reservedIds: a renamed copy takes no id a later batch of the same import asks for", async () => {
      const { store } = await engine.fresh();
      await store.saveSession(input(msgs("already here"), { sessionId: "R" }));
      const file = (id: string): ImportItem => ({ input: { ...input(msgs(id)), sessionId: id }, onConflict: "rename" });
      const whole = new Set(["R", "R_2"]);
      expect((await store.importSessions([file("R")], { reservedIds: whole }))[0]).toMatchObject({ sessionId: "R_3", status: "renamed" });
      expect((await store.importSessions([file("R_2")], { reservedIds: whole }))[0]).toMatchObject({ sessionId: "R_2", status: "created" });
      // A set that misses the batch's own ids still reserves them.
      expect((await store.importSessions([file("R"), file("R_4")], { reservedIds: new Set(["R_5"]) })).map((r) => r.sessionId)).toEqual(["R_6", "R_4"]);
    });

    it("the same id twice in one batch: the newest copy is imported, the other reported as superseded", async () => {
      const { store } = await engine.fresh();
      const copy = (text: string, revision: number | undefined, updatedAt: string): ImportItem => ({
        input: { ...input(msgs(text)), sessionId: "dup", updatedAt },
        onConflict: "skip",
        ...(revision === undefined ? {} : { revision }),
      });
      const results = await store.importSessions([copy("newer", 5, "2025-01-01T00:00:00Z"), copy("older", 3, "2025-06-01T00:00:00Z")]);
      expect(results).toEqual([
        { requestedId: "dup", sessionId: "dup", status: "created", revision: 1 },
        { requestedId: "dup", sessionId: null, status: "superseded", existing: { sessionId: "dup", reason: "newer-copy" } },
      ]);
      expect((await store.getSession("dup")).conversation.messages).toEqual(msgs("newer"));
      const byTime = await store.importSessions([copy("earlier", undefined, "2025-01-01T00:00:00Z"), copy("later", undefined, "2025-02-01T00:00:00Z")].map((i) => ({ ...i, input: { ...i.input, sessionId: "t" } })));
      expect(byTime.map((r) => r.status)).toEqual(["superseded", "created"]);
      expect((await store.getSession("t")).conversation.messages).toEqual(msgs("later"));
    });

    it("overwrite replaces title and tags instead of inheriting them", async () => {
      const { store } = await engine.fresh();
      await store.saveSession(input(msgs("old"), { sessionId: "o", title: "Old custom", tags: ["old"] }));
      await store.importSessions([{ input: { ...input(msgs("new text")), sessionId: "o" }, onConflict: "overwrite" }]);
      const s = (await store.loadSession("o"))!;
      expect(s.metadata.title).toBe("new text");
      expect(s.metadata.tags).toEqual([]);
    });

    it("a failing item rolls back the whole batch, ledger included", async () => {
      const { store, counts } = await engine.fresh();
      const bad: ImportItem = { input: { ...input([{ content: "no role" } as never]), sessionId: "bad" }, onConflict: "skip", source: { key: "/b", size: 1, sha256: "x", reason: null } };
      await expect(store.importSessions([item("good", "skip", "fine"), bad])).rejects.toBeInstanceOf(InvalidSessionDataError);
      expect(await store.countSessions()).toBe(0);
      expect(await store.ledger.list()).toEqual([]);
      expect(await counts()).toEqual({ sessions: 0, messages: 0 });
    });

    it("failed sources are recorded by path and keep the session an earlier run imported from them", async () => {
      const { store } = await engine.fresh();
      expect(await store.ledger.get("/nope")).toBeNull();
      await store.importSessions([item("s", "skip", "first")]);
      const e: LedgerEntry = { sourcePath: "/legacy/s-first.json", size: 10, sha256: "h1", sessionId: null, outcome: "failed", reason: "bad json", importedAt: "2025-01-01T00:00:00.000Z", revision: null };
      await store.ledger.recordFailures([e, { ...e, sourcePath: "/b.json", outcome: "ignored" }]);
      expect(await store.ledger.get("/legacy/s-first.json")).toEqual({ ...e, sessionId: "s", revision: 1 });
      expect(await store.ledger.get("/b.json")).toEqual({ ...e, sourcePath: "/b.json", outcome: "ignored" });
      expect((await store.ledger.list()).map((x) => x.sourcePath).sort()).toEqual(["/b.json", "/legacy/s-first.json"]);
    });
  });

  describe("stats / hasSession", () => {
    it("counts sessions and messages, spans created_at and groups by model, without reading sessions", async () => {
      const { store } = await engine.fresh();
      expect(await store.stats()).toEqual({ sessions: 0, messages: 0, oldest: null, newest: null, models: {} });
      await store.saveSession(input(msgs("a", "b", "c"), { sessionId: "s1", model: "gpt-4o", createdAt: "2025-01-01T00:00:00Z" }));
      await store.saveSession(input(msgs("d"), { sessionId: "s2", model: "gpt-4o", createdAt: "2025-03-01T00:00:00Z" }));
      await store.saveSession(input(msgs("e", "f"), { sessionId: "s3", model: "claude", createdAt: "2025-02-01T00:00:00Z" }));
      expect(await store.stats()).toEqual({
        sessions: 3,
        messages: 6,
        oldest: "2025-01-01T00:00:00.000Z",
        newest: "2025-03-01T00:00:00.000Z",
        models: { "gpt-4o": 2, claude: 1 },
      });
      expect(await store.hasSession("s2")).toBe(true);
      expect(await store.hasSession("s")).toBe(false);
      await expect(store.hasSession("../s2")).rejects.toThrow(/Invalid session id/);
    });
  });
});

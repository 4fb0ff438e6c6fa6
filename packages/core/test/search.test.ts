import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toFtsQuery, type Message, type SessionStore } from "../src/index.js";
import { cleanupAll, freshStore, input, msgs, raw } from "./helpers.js";

let store: SessionStore;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  store = (await freshStore()).store;
  const save = async (id: string, messages: Message[], title?: string) => {
    await store.saveSession(input(messages, { sessionId: id, title }));
    await sleep(3); // distinct updated_at
  };
  await save("cafe", msgs("Where is the Café?", "Down the road"), "Café planning");
  await save("auth", msgs("How does authentication work here?", "Tokens and sessions."));
  await save("cicd", msgs("Fix the CI/CD pipeline please", "Done"));
  await save("phrase", msgs("the quick brown fox jumps", "over the lazy dog"));
  await save("reversed", msgs("fox brown quick the", "dog lazy"));
  await save("resume", msgs("Update my résumé", "Sure"));
  await save("colon", msgs("set foo:bar in the config", "ok"));
  await save("apos", msgs("it's broken again", "what is?"));
  await save("notword", msgs("do NOT panic", "fine"));
  await save("percent", msgs("progress report", "fine"), "100% finished");
  await save("underscore", msgs("naming styles", "fine"), "snake_case rules");
  await save("widget-title", msgs("unrelated", "stuff"), "Widget ideas");
  await save("widget-once", msgs("a long message about many things, gardens, rivers, and once a widget somewhere in the middle of a long sentence", "x"));
  await save("widget-many", msgs("tell me about gadgets", "widget widget widget widget"));
  await save("dup-old", msgs("identical zeppelin text", "same"));
  await save("dup-new", msgs("identical zeppelin text", "same"));
});

afterAll(async () => {
  await cleanupAll();
});

const ids = async (q: string, limit?: number) => (await store.searchSessions(q, limit === undefined ? {} : { limit })).map((r) => r.id);

describe("searchSessions", () => {
  it("titles: substring, case- and accent-insensitive", async () => {
    expect(await ids("cafe")).toContain("cafe");
    expect(await ids("CAFÉ PLAN")).toEqual(["cafe"]);
    expect(await ids("fé plan")).toEqual(["cafe"]);
    expect(await ids("nake_ca")).toEqual(["underscore"]);
  });

  it("content: words, word prefixes, accents", async () => {
    expect(await ids("authentication")).toEqual(["auth"]);
    expect(await ids("auth")).toEqual(["auth"]);
    expect(await ids("AUTHENT")).toEqual(["auth"]);
    expect(await ids("resume")).toEqual(["resume"]);
    expect(await ids("RÉSUMÉ")).toEqual(["resume"]);
    expect(await ids("pipeline please")).toEqual(["cicd"]);
  });

  it("words are ANDed: every word must match", async () => {
    expect(await ids("quick zeppelin")).toEqual([]);
  });

  it("phrases keep word order", async () => {
    expect((await ids("quick brown")).sort()).toEqual(["phrase", "reversed"]);
    expect(await ids('"quick brown fox"')).toEqual(["phrase"]);
    expect(await ids('"fox brown"')).toEqual(["reversed"]);
  });

  it("CI/CD finds CI/CD", async () => {
    expect(await ids("CI/CD")).toEqual(["cicd"]);
    expect(await ids("ci/cd pipeline")).toEqual(["cicd"]);
  });

  it("user text is data: it's, foo:bar, NOT, NEAR(", async () => {
    expect(await ids("it's")).toEqual(["apos"]);
    expect(await ids("foo:bar")).toEqual(["colon"]);
    expect(await ids("NOT")).toEqual(["notword"]);
    expect(await ids("panic NOT")).toEqual(["notword"]);
    expect(await ids("NEAR(panic")).toEqual([]);
    expect(await ids("NEAR(fox, dog)")).toEqual([]);
    expect(await ids("%")).toEqual(["percent"]);
    expect(await ids("100%")).toEqual(["percent"]);
    expect(await ids("_")).toEqual(["underscore"]);
  });

  const noMatch = ["*", '"', "-", "^", "(", ")", "NEAR(", "NEAR", "*:*", '""', "''", "%_%", "\\", "\\%", "{", "}", "[", "]", "+", "~", "--", ";", "'; DROP TABLE sessions;--", 'zz" OR "', "zz OR", "NOT zz", "zz AND", "(zz)", "zz*", "^zz", "-zz", "zz:*", "col:zz", "content:zz", "*zz*", "zz NEAR", "NEAR(zz", '"zz', "zz'", "   ", ""];

  it.each(noMatch)("metacharacters %j never throw and never match everything", async (q) => {
    const all = await store.countSessions();
    const r = await store.searchSessions(q, { limit: 100 });
    expect(r.length).toBeLessThan(all);
    expect(r).toEqual([]);
  });

  it("operators and quotes are words/substrings, not syntax", async () => {
    expect(await ids("'")).toEqual(["apos"]); // title "it's broken again"
    expect(await ids(":")).toEqual(["colon"]); // title "set foo:bar in the config"
    expect(await ids("content:zeppelin")).toEqual([]); // the phrase "content zeppelin", not a column filter
    // AND / OR are plain words (prefix "and"/"or") or title substrings, never operators
    expect((await ids("AND", 100)).sort()).toEqual(["auth", "widget-once"]);
    expect((await ids("zeppelin OR", 100)).sort()).toEqual([]);
    expect((await ids("zeppelin AND identical", 100)).sort()).toEqual([]);
    expect((await ids('zeppelin" OR "auth', 100)).sort()).toEqual([]);
  });

  it("metacharacters around a real word still find just that word", async () => {
    for (const q of ["zeppelin*", "^zeppelin", "(zeppelin)", "-zeppelin", '"zeppelin', "zeppelin'"]) {
      expect((await ids(q)).sort(), q).toEqual(["dup-new", "dup-old"]);
    }
  });

  it("order: title matches first, then best content match, then newest", async () => {
    const r = await ids("widget");
    expect(r).toEqual(["widget-title", "widget-many", "widget-once"]);
    expect(await ids("zeppelin")).toEqual(["dup-new", "dup-old"]);
  });

  it("limit (default 10)", async () => {
    expect(await ids("fine", 2)).toHaveLength(2);
    expect(await ids("widget", 1)).toEqual(["widget-title"]);
    expect((await ids("the")).length).toBeLessThanOrEqual(10);
    expect((await store.searchSessions("e", { limit: 100 })).length).toBeGreaterThan(10);
    expect(await ids("e")).toHaveLength(10);
  });

  it("snippet marks matches with [ ], matchPosition points at the message; title-only -> title", async () => {
    const [a] = await store.searchSessions("auth");
    expect(a!.snippet).toContain("[authentication]");
    expect(a!.matchPosition).toBe(0);
    const [b] = await store.searchSessions("sessions");
    expect(b).toMatchObject({ id: "auth", matchPosition: 1 });
    expect(b!.snippet).toContain("[sessions]");
    const [t] = await store.searchSessions("Widget ideas");
    expect(t).toMatchObject({ id: "widget-title", snippet: "Widget ideas", matchPosition: null });
  });

  it("results carry summary fields", async () => {
    const [r] = await store.searchSessions("zeppelin");
    expect(r).toMatchObject({ id: "dup-new", title: "identical zeppelin text", messageCount: 2, model: "gpt-test" });
  });

  it("toFtsQuery quotes every term", () => {
    expect(toFtsQuery("auth")).toBe('"auth"*');
    expect(toFtsQuery('a "b c" d"e')).toBe('"a"* "b c" "d""e"*');
    expect(toFtsQuery("* ( )")).toBeNull();
  });
});

describe("rebuildSearchIndex", () => {
  it("indexes messages written by hand with sqlite3, which the store did not index", async () => {
    const { store, dbPath } = await freshStore();
    await store.saveSession(input(msgs("first words"), { sessionId: "h1" }));
    const byHand = new Database(dbPath);
    byHand.prepare(`INSERT INTO messages (session_id, position, role, content) VALUES ('h1', 1, 'user', 'handwritten zeppelin')`).run();
    byHand.close();
    expect(await store.searchSessions("zeppelin")).toEqual([]);
    expect(await store.rebuildSearchIndex()).toBe(2);
    expect((await store.searchSessions("zeppelin")).map((r) => r.id)).toEqual(["h1"]);
    expect((await store.searchSessions("first")).map((r) => r.id)).toEqual(["h1"]);
  });
});

describe("preview sidecars (conversation.preview_messages) are searchable", () => {
  const preview = (body: string) => [{ role: "system", content: "FILE PREVIEW: app.py", metadata: { preview_path: "app.py", preview_body: body }, after_message_index: 1 }];

  it("found by any text in them, after the conversation's own matches; kept in step with saves and deletes", async () => {
    const { store, dbPath } = await freshStore();
    await store.saveSession({ ...input(msgs("show the file")), sessionId: "p1", conversation: { messages: msgs("show the file"), preview_messages: preview("print('zeppelin')") } });
    await store.saveSession(input(msgs("a zeppelin in the conversation"), { sessionId: "c1" }));
    const found = await store.searchSessions("zeppelin");
    expect(found.map((r) => [r.id, r.matchPosition, r.previewCount])).toEqual([
      ["c1", 0, 0],
      ["p1", null, 1],
    ]);
    expect(found[1]!.snippet).toContain("[zeppelin]");
    await store.saveSession({ ...input(msgs("show the file")), sessionId: "p1", conversation: { messages: msgs("show the file"), preview_messages: preview("print('airship')") } });
    expect((await store.searchSessions("zeppelin")).map((r) => r.id)).toEqual(["c1"]);
    expect((await store.searchSessions("airship")).map((r) => r.id)).toEqual(["p1"]);
    await store.deleteSession("p1");
    expect(raw(dbPath, (db) => db.prepare(`SELECT count(*) FROM preview_fts`).pluck().get())).toBe(0);
  });

  it("reindex picks up previews edited by hand", async () => {
    const { store, dbPath } = await freshStore();
    await store.saveSession(input(msgs("q"), { sessionId: "h" }));
    const byHand = new Database(dbPath);
    byHand.prepare(`UPDATE sessions SET data = json_set(data, '$.conversation.preview_messages', json(?)) WHERE id = 'h'`).run(JSON.stringify(preview("dirigible")));
    byHand.close();
    expect(await store.searchSessions("dirigible")).toEqual([]);
    await store.rebuildSearchIndex();
    expect((await store.searchSessions("dirigible")).map((r) => r.id)).toEqual(["h"]);
  });
});

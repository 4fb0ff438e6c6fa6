import { beforeAll, describe, expect, it } from "vitest";
import { SEARCH_CANDIDATE_LIMIT } from "../src/domain/search-plan.js";
import { toFtsQuery, type Message } from "../src/index.js";
import { describeEngines, type StoreFixture } from "./engines.js";
import { input, msgs } from "./helpers.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeEngines("searchSessions", (engine) => {
  let fixture: StoreFixture;

  beforeAll(async () => {
    fixture = await engine.fresh();
    const save = async (id: string, messages: Message[], title?: string) => {
      await fixture.store.saveSession(input(messages, { sessionId: id, title }));
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
    await save("path", msgs("edit /usr/local/bin/deploy.sh and mail ops@example.com", "done"));
    await save("accents", msgs("Straße naïve ÆSIR Ørsted crème brûlée", "ok"));
  });

  const ids = async (q: string, limit?: number) => (await fixture.store.searchSessions(q, limit === undefined ? {} : { limit })).map((r) => r.id);

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
      expect(await ids("naive creme brulee")).toEqual(["accents"]);
      // PostgreSQL's unaccent folds more than Unicode decomposition (SQLite's unicode61) does.
      if (engine.name === "postgres") expect(await ids("strasse aesir orsted")).toEqual(["accents"]);
    });

    it("words are ANDed: every word must match", async () => {
      expect(await ids("quick zeppelin")).toEqual([]);
    });

    it("phrases keep word order", async () => {
      expect((await ids("quick brown")).sort()).toEqual(["phrase", "reversed"]);
      expect(await ids('"quick brown fox"')).toEqual(["phrase"]);
      expect(await ids('"fox brown"')).toEqual(["reversed"]);
      expect(await ids('"quick brow fox"')).toEqual([]); // a phrase is whole words
    });

    it("CI/CD finds CI/CD; paths and addresses are words", async () => {
      expect(await ids("CI/CD")).toEqual(["cicd"]);
      expect(await ids("ci/cd pipeline")).toEqual(["cicd"]);
      expect(await ids("cd")).toEqual(["cicd"]);
      expect(await ids("deploy")).toEqual(["path"]);
      expect(await ids("local/bin")).toEqual(["path"]);
      expect(await ids("example.com")).toEqual(["path"]);
      expect(await ids("ops")).toEqual(["path"]);
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

    const noMatch = ["*", '"', "-", "^", "(", ")", "NEAR(", "NEAR", "*:*", '""', "''", "%_%", "\\", "\\%", "{", "}", "[", "]", "+", "~", "--", ";", "'; DROP TABLE sessions;--", 'zz" OR "', "zz OR", "NOT zz", "zz AND", "(zz)", "zz*", "^zz", "-zz", "zz:*", "col:zz", "content:zz", "*zz*", "zz NEAR", "NEAR(zz", '"zz', "zz'", "zz & !zz", "zz | a", "zz <-> a", "!zz", "zz:A", "   ", ""];

    it.each(noMatch)("metacharacters %j never throw and never match everything", async (q) => {
      const all = await fixture.store.countSessions();
      const r = await fixture.store.searchSessions(q, { limit: 100 });
      expect(r.length).toBeLessThan(all);
      expect(r).toEqual([]);
    });

    it("operators and quotes are words/substrings, not syntax", async () => {
      expect(await ids("'")).toEqual(["apos"]); // title "it's broken again"
      expect(await ids(":")).toEqual(["colon"]); // title "set foo:bar in the config"
      expect(await ids("content:zeppelin")).toEqual([]); // the phrase "content zeppelin", not a column filter
      // AND / OR are plain words (prefix "and"/"or") or title substrings, never operators
      expect((await ids("AND", 100)).sort()).toEqual(["auth", "path", "widget-once"]);
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
      expect((await fixture.store.searchSessions("e", { limit: 100 })).length).toBeGreaterThan(10);
      expect(await ids("e")).toHaveLength(10);
    });

    it("snippet marks matches with [ ], matchPosition points at the message; title-only -> title", async () => {
      const [a] = await fixture.store.searchSessions("auth");
      expect(a!.snippet).toContain("[authentication]");
      expect(a!.matchPosition).toBe(0);
      const [b] = await fixture.store.searchSessions("sessions");
      expect(b).toMatchObject({ id: "auth", matchPosition: 1 });
      expect(b!.snippet).toContain("[sessions]");
      const [t] = await fixture.store.searchSessions("Widget ideas");
      expect(t).toMatchObject({ id: "widget-title", snippet: "Widget ideas", matchPosition: null });
    });

    it("results carry summary fields", async () => {
      const [r] = await fixture.store.searchSessions("zeppelin");
      expect(r).toMatchObject({ id: "dup-new", title: "identical zeppelin text", messageCount: 2, model: "gpt-test" });
    });
});

describeEngines("searchSessions: a very common word", (engine) => {
  it(`ranks at most ${SEARCH_CANDIDATE_LIMIT} newest matches, so the newest sessions come first`, async () => {
    const { store } = await engine.fresh();
    // 60 sessions × 20 messages with "common": more matches than the candidate limit.
    await store.importSessions(
      Array.from({ length: 60 }, (_, s) => ({
        onConflict: "skip" as const,
        input: {
          ...input(Array.from({ length: 20 }, (_, i) => ({ role: "user", content: i === 0 && s === 0 ? "common common common common word" : `common filler ${s}-${i}` }))),
          sessionId: `s${String(s).padStart(2, "0")}`,
          title: `session ${s}`,
        },
      })),
    );
    // Session s00 has the best match but is the oldest: beyond the newest 1,000 matches, not ranked.
    expect((await store.searchSessions("common", { limit: 5 })).map((r) => r.id)).toEqual(["s59", "s58", "s57", "s56", "s55"]);
    // A rarer word is ranked by relevance over all its matches.
    expect((await store.searchSessions("word", { limit: 5 })).map((r) => r.id)).toEqual(["s00"]);
  });
});

describeEngines("preview sidecars (conversation.preview_messages) are searchable", (engine) => {
  const preview = (body: string) => [{ role: "system", content: "FILE PREVIEW: app.py", metadata: { preview_path: "app.py", preview_body: body }, after_message_index: 1 }];

  it("found by any text in them, after the conversation's own matches; kept in step with saves and deletes", async () => {
    const { store } = await engine.fresh();
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
    expect(await store.searchSessions("airship")).toEqual([]);
  });
});

describe("toFtsQuery (SQLite's query syntax)", () => {
  it("quotes every term", () => {
    expect(toFtsQuery("auth")).toBe('"auth"*');
    expect(toFtsQuery('a "b c" d"e')).toBe('"a"* "b c" "d""e"*');
    expect(toFtsQuery("* ( )")).toBeNull();
  });
});

import { afterAll, beforeAll, expect, it } from "vitest";
import { pgAccess, type PgAccess } from "../../src/engine/pg/access.js";
import { SEARCH_CANDIDATE_LIMIT } from "../../src/engine/sqlite/search.js";
import type { Message } from "../../src/domain/types.js";
import { describePg, pgFixture, type PgFixture } from "./helpers.js";
import { PgHarness, input, msgs } from "./harness.js";

// The same data and expectations as ../search.test.ts (SQLite): both engines answer alike.
describePg("PostgreSQL search", () => {
  let fixture: PgFixture;
  let access: PgAccess;

  const ids = async (q: string, limit = 10) => (await access.searchSessions(q, limit)).map((r) => r.id);

  beforeAll(async () => {
    fixture = await pgFixture();
    const connection = await fixture.migrated();
    const harness = new PgHarness(connection, "search-project");
    access = pgAccess(connection.db, { project: harness.project, target: connection.target });
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const save = async (id: string, messages: Message[], title?: string) => {
      await harness.save(input(messages, { sessionId: id, title }));
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

  afterAll(async () => {
    await fixture?.cleanup();
  });

  it("titles: substring, case- and accent-insensitive", async () => {
    expect(await ids("cafe")).toContain("cafe");
    expect(await ids("CAFÉ PLAN")).toEqual(["cafe"]);
    expect(await ids("fé plan")).toEqual(["cafe"]);
    expect(await ids("nake_ca")).toEqual(["underscore"]);
  });

  it("content: words, word prefixes, accents (unaccent folds more than NFKD: ß, æ, ø)", async () => {
    expect(await ids("authentication")).toEqual(["auth"]);
    expect(await ids("auth")).toEqual(["auth"]);
    expect(await ids("AUTHENT")).toEqual(["auth"]);
    expect(await ids("resume")).toEqual(["resume"]);
    expect(await ids("RÉSUMÉ")).toEqual(["resume"]);
    expect(await ids("pipeline please")).toEqual(["cicd"]);
    expect(await ids("strasse naive aesir orsted creme brulee")).toEqual(["accents"]);
    expect(await ids("Straße")).toEqual(["accents"]);
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

  it("CI/CD finds CI/CD; paths and addresses are words, as on SQLite", async () => {
    expect(await ids("CI/CD")).toEqual(["cicd"]);
    expect(await ids("ci/cd pipeline")).toEqual(["cicd"]);
    expect(await ids("cd")).toEqual(["cicd"]);
    expect(await ids("deploy")).toEqual(["path"]);
    expect(await ids("local/bin")).toEqual(["path"]);
    expect(await ids("example.com")).toEqual(["path"]);
    expect(await ids("ops")).toEqual(["path"]);
  });

  it("user text is data: it's, foo:bar, NOT, NEAR(, %, _", async () => {
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
    expect(await access.searchSessions(q, 100)).toEqual([]);
  });

  it("operators and quotes are words/substrings, not syntax", async () => {
    expect(await ids("'")).toEqual(["apos"]);
    expect(await ids(":")).toEqual(["colon"]);
    expect(await ids("content:zeppelin")).toEqual([]);
    expect((await ids("AND", 100)).sort()).toEqual(["auth", "path", "widget-once"]);
    expect(await ids("zeppelin OR", 100)).toEqual([]);
    expect(await ids("zeppelin AND identical", 100)).toEqual([]);
    expect(await ids('zeppelin" OR "auth', 100)).toEqual([]);
    expect(await ids("zeppelin | auth", 100)).toEqual([]); // not tsquery OR: both words must match
  });

  it("metacharacters around a real word still find just that word", async () => {
    for (const q of ["zeppelin*", "^zeppelin", "(zeppelin)", "-zeppelin", '"zeppelin', "zeppelin'", "zeppelin:*", "!zeppelin"]) {
      expect((await ids(q)).sort(), q).toEqual(["dup-new", "dup-old"]);
    }
  });

  it("order: title matches first, then best content match, then newest", async () => {
    expect(await ids("widget")).toEqual(["widget-title", "widget-many", "widget-once"]);
    expect(await ids("zeppelin")).toEqual(["dup-new", "dup-old"]);
  });

  it("limit", async () => {
    expect(await ids("fine", 2)).toHaveLength(2);
    expect(await ids("widget", 1)).toEqual(["widget-title"]);
    expect((await access.searchSessions("e", 100)).length).toBeGreaterThan(10);
    expect(await ids("e")).toHaveLength(10);
  });

  it("snippet marks matches with [ ], matchPosition points at the message; title-only -> title", async () => {
    const [a] = await access.searchSessions("auth", 10);
    expect(a!.snippet).toContain("[authentication]");
    expect(a!.matchPosition).toBe(0);
    const [b] = await access.searchSessions("sessions", 10);
    expect(b).toMatchObject({ id: "auth", matchPosition: 1 });
    expect(b!.snippet).toContain("[sessions]");
    const [t] = await access.searchSessions("Widget ideas", 10);
    expect(t).toMatchObject({ id: "widget-title", snippet: "Widget ideas", matchPosition: null });
  });

  it("results carry summary fields", async () => {
    const [r] = await access.searchSessions("zeppelin", 10);
    expect(r).toMatchObject({ id: "dup-new", title: "identical zeppelin text", messageCount: 2, model: "gpt-test" });
  });
});

describePg("PostgreSQL search: a very common word", () => {
  let fixture: PgFixture;

  afterAll(async () => {
    await fixture?.cleanup();
  });

  it(`ranks at most ${SEARCH_CANDIDATE_LIMIT} newest matches, so the newest sessions come first`, async () => {
    fixture = await pgFixture();
    const connection = await fixture.migrated();
    const harness = new PgHarness(connection, "common-project");
    const access = pgAccess(connection.db, { project: harness.project, target: connection.target });
    // 60 sessions × 20 messages with "common": more matches than the candidate limit.
    for (let s = 0; s < 60; s++) {
      const messages = Array.from({ length: 20 }, (_, i) => ({ role: "user", content: i === 0 && s === 0 ? "common common common common word" : `common filler ${s}-${i}` }));
      await harness.save(input(messages, { sessionId: `s${String(s).padStart(2, "0")}`, title: `session ${s}` }));
    }
    const results = await access.searchSessions("common", 5);
    // Session s00 has the best match but is the oldest: beyond the newest 1,000 matches, not ranked.
    expect(results.map((r) => r.id)).toEqual(["s59", "s58", "s57", "s56", "s55"]);
    // A rarer word is ranked by relevance over all its matches.
    expect((await access.searchSessions("word", 5)).map((r) => r.id)).toEqual(["s00"]);
  });
});

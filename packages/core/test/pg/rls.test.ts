import { afterAll, beforeAll, expect, it } from "vitest";
import type { PgConnection } from "../../src/engine/pg/connection.js";
import { DatabaseOpenError, SessionNotWritableError } from "../../src/domain/errors.js";
import type { PgTestRole } from "@victor/test-utils";
import { describePg, pgFixture, type PgFixture } from "./helpers.js";
import { input, msgs, pgRead, pgWrite, storeOn } from "./harness.js";

const project = "github.com/acme/team";

describePg("PostgreSQL row-level security with real LOGIN roles", () => {
  let fixture: PgFixture;
  let alice: PgTestRole;
  let bob: PgTestRole;
  let carol: PgTestRole;
  let asAlice: PgConnection;
  let asBob: PgConnection;
  let asCarol: PgConnection;

  beforeAll(async () => {
    fixture = await pgFixture();
    await fixture.migrated();
    alice = await fixture.createLoginRole("alice", ["victor_writer"]);
    bob = await fixture.createLoginRole("bob", ["victor_writer"]);
    carol = await fixture.createLoginRole("carol", ["victor_reader"]);
    asAlice = fixture.connect(alice.url);
    asBob = fixture.connect(bob.url);
    asCarol = fixture.connect(carol.url);
    const alices = storeOn(asAlice, project);
    await alices.saveSession(input(msgs("alice private secret about walruses", "reply"), { sessionId: "a-private" }));
    await alices.saveSession(input(msgs("alice shared notes about otters", "reply"), { sessionId: "a-shared" }));
    // Sharing is push --share's job (later); the column is what the policies read.
    await asAlice.pool.query(`UPDATE victor.sessions SET shared = true WHERE id = 'a-shared'`);
    await storeOn(asBob, project).saveSession(input(msgs("bob private plans", "reply"), { sessionId: "b-private" }));
  });

  afterAll(async () => {
    await fixture?.cleanup();
  });

  const bobs = () => storeOn(asBob, project);

  it("a writer sees its own sessions and shared ones, through every read of the store", async () => {
    const store = bobs();
    expect((await store.listSessions({ limit: -1 })).map((s) => s.id).sort()).toEqual(["a-shared", "b-private"]);
    expect(await store.hasSession("a-private")).toBe(false);
    expect(await store.loadSession("a-private")).toBeNull();
    expect(await pgRead(asBob, project, (access) => access.contextRows("a-private", 0))).toEqual([]);
    expect(await store.searchSessions("walruses")).toEqual([]);
    expect((await store.searchSessions("alice")).map((s) => s.id)).toEqual(["a-shared"]);
    expect((await store.getSession("a-shared")).conversation.messages.map((m) => m.content)).toEqual(["alice shared notes about otters", "reply"]);
    expect(await store.stats()).toMatchObject({ sessions: 2 });
    expect(await storeOn(asAlice, project).loadSession("a-private")).not.toBeNull();
  });

  it("even raw SQL cannot read another role's private session or its messages", async () => {
    const sessions = await asBob.pool.query(`SELECT id, owner FROM victor.sessions ORDER BY id`);
    expect(sessions.rows).toEqual([
      { id: "a-shared", owner: alice.name },
      { id: "b-private", owner: bob.name },
    ]);
    const messages = await asBob.pool.query(`SELECT count(*)::int AS n FROM victor.messages WHERE session_id = 'a-private'`);
    expect(messages.rows[0].n).toBe(0);
    const searched = await asBob.pool.query(`SELECT count(*)::int AS n FROM victor.messages WHERE search @@ 'walruses'::tsquery`);
    expect(searched.rows[0].n).toBe(0);
  });

  it("a writer cannot change, delete or add to another role's sessions, shared or not, nor write rows in another's name", async () => {
    expect((await asBob.pool.query(`UPDATE victor.sessions SET name = 'hijacked' WHERE id IN ('a-shared', 'a-private')`)).rowCount).toBe(0);
    expect((await asBob.pool.query(`DELETE FROM victor.sessions WHERE id IN ('a-shared', 'a-private')`)).rowCount).toBe(0);
    expect((await asBob.pool.query(`DELETE FROM victor.messages WHERE session_id = 'a-shared'`)).rowCount).toBe(0);
    await expect(
      asBob.pool.query(`INSERT INTO victor.messages (project, session_id, position, role, content) VALUES ($1, 'a-shared', 99, 'user', 'injected')`, [project]),
    ).rejects.toMatchObject({ code: "42501" });
    await expect(
      asBob.pool.query(`INSERT INTO victor.sessions (project, id, name, data, created_at, updated_at, owner) VALUES ($1, 'spoof', 'x', '{}', 'x', 'x', $2)`, [project, alice.name]),
    ).rejects.toMatchObject({ code: "42501" });
    await expect(bobs().deleteSession("a-shared")).rejects.toThrow(SessionNotWritableError);
    // A shared session is not Bob's to save: the policy hides it from the UPDATE, nothing changes.
    await pgWrite(asBob, project, (access) =>
      access.updateSession("a-shared", { name: "hijacked", search_title: "", provider: "", model: "", profile: "", data: "{}", created_at: "x", updated_at: "x", message_count: 0, parent_id: null, fork_point: null, tags: "[]", preview_count: 0 }),
    );
    expect((await storeOn(asAlice, project).getSession("a-shared")).metadata.title).toBe("alice shared notes about otters");
  });

  it("ids stay unique across roles: an id taken by an invisible session is never reused", async () => {
    const row = { name: "x", search_title: "x", provider: "", model: "", profile: "default", data: "{}", created_at: "x", updated_at: "x", message_count: 0, parent_id: null, fork_point: null, tags: "[]", preview_count: 0, revision: 1, incarnation: "t" };
    expect(await pgWrite(asBob, project, (access) => access.insertSession({ ...row, id: "a-private" }))).toBe(false);
    expect(await pgWrite(asBob, project, (access) => access.insertSessionWithFreshId("a-private", row))).toBe("a-private_2");
    // Through the store: a save under the invisible id is refused, never an overwrite.
    const refused = await bobs().saveSession(input(msgs("bob's"), { sessionId: "a-private" })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SessionNotWritableError);
    expect(refused).toMatchObject({ hidden: true, message: expect.stringMatching(/taken on this server by another user's session, which you cannot read/) });
  });

  it("the store's writes on a teammate's shared session say it is not the user's to change, and change nothing", async () => {
    const store = bobs();
    const loaded = await store.getSession("a-shared");
    const attempts = [
      () => store.saveSession(input([...loaded.conversation.messages, ...msgs("bob adds")], { sessionId: "a-shared" })),
      () => store.saveSession(input(msgs("bob overwrites"), { sessionId: "a-shared", force: true })),
      () => store.renameSession("a-sh", "hijacked"),
      () => store.undoContextChange("a-shared"),
      () => store.deleteSession("a-shared"),
    ];
    for (const attempt of attempts) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SessionNotWritableError);
      expect((error as SessionNotWritableError).message).toMatch(/^Session a-shared is not yours to change: .*victor sessions fork a-shared/);
    }
    const after = await storeOn(asAlice, project).getSession("a-shared");
    expect(after.metadata).toMatchObject({ title: "alice shared notes about otters", revision: loaded.metadata.revision });
    expect(after.conversation.messages.map((m) => m.content)).toEqual(["alice shared notes about otters", "reply"]);
    // Bob's own copy is one fork away.
    expect((await store.forkSession("a-shared")).sessionId).not.toBe("a-shared");
  });

  it("an import under the id of a teammate's shared session treats the id as taken: skipped, or renamed; never an overwrite", async () => {
    const store = bobs();
    const item = (onConflict: "skip" | "rename" | "overwrite") => ({ input: { ...input(msgs("bob's own notes")), sessionId: "a-shared" }, onConflict });
    expect(await store.importSessions([item("skip")])).toEqual([expect.objectContaining({ requestedId: "a-shared", sessionId: null, status: "skipped-conflict" })]);
    const [renamed] = await store.importSessions([item("rename")]);
    expect(renamed).toMatchObject({ requestedId: "a-shared", status: "renamed" });
    expect(renamed!.sessionId).toMatch(/^a-shared_\d+$/);
    expect((await store.getSession(renamed!.sessionId!)).conversation.messages.map((m) => m.content)).toEqual(["bob's own notes"]);
    await expect(store.importSessions([item("overwrite")])).rejects.toThrow(SessionNotWritableError);
    expect((await storeOn(asAlice, project).getSession("a-shared")).conversation.messages.map((m) => m.content)).toEqual(["alice shared notes about otters", "reply"]);
  });

  it("victor_reader reads shared sessions and cannot write anything", async () => {
    const carols = storeOn(asCarol, project);
    expect((await carols.listSessions({ limit: -1 })).map((s) => s.id)).toEqual(["a-shared"]);
    expect((await carols.getSession("a-shared")).conversation.messages.length).toBe(2);
    await expect(carols.saveSession(input(msgs("x"), { sessionId: "c1" }))).rejects.toThrow(/permission denied for table sessions\. Your role may not do this here: .*GRANT victor_writer TO your role \(victor_reader only reads\)/);
    await expect(asCarol.pool.query(`DELETE FROM victor.sessions`)).rejects.toMatchObject({ code: "42501" });
  });

  it("a role in neither group reads nothing at all", async () => {
    const stranger = await fixture.createLoginRole("stranger", []);
    const asStranger = fixture.connect(stranger.url);
    const error = await storeOn(asStranger, project).listSessions({ limit: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect((error as Error).message).toMatch(/permission denied for schema victor.*victor_writer/);
  });

  it("search (victor.search_candidates, which applies the rule itself to use the index) finds exactly what the policies let each role read", async () => {
    const owner = fixture.connect();
    for (const word of ["walruses", "otters", "plans", "reply", "alice"]) {
      for (const connection of [asAlice, asBob, asCarol, owner]) {
        const viaPolicies = await connection.pool.query(`SELECT id FROM victor.messages WHERE project = $1 AND search @@ plainto_tsquery('victor.search', $2) ORDER BY id DESC`, [project, word]);
        const viaFunction = await connection.pool.query(`SELECT id FROM victor.search_candidates($1, plainto_tsquery('victor.search', $2), 1000)`, [project, word]);
        expect(viaFunction.rows, `${word} as ${connection.target}`).toEqual(viaPolicies.rows);
      }
    }
    expect((await storeOn(owner, project).searchSessions("walruses")).map((r) => r.id)).toEqual(["a-private"]);
    const stranger = await fixture.createLoginRole("outsider", []);
    await owner.pool.query(`GRANT USAGE ON SCHEMA victor TO ${stranger.name}`);
    await expect(fixture.connect(stranger.url).pool.query(`SELECT * FROM victor.search_candidates($1, 'reply'::tsquery, 10)`, [project])).rejects.toMatchObject({ code: "42501" });
  });

  it("unsharing takes a session out of the others' sight at once", async () => {
    await asAlice.pool.query(`UPDATE victor.sessions SET shared = false WHERE id = 'a-shared'`);
    expect(await bobs().hasSession("a-shared")).toBe(false);
    expect(await pgRead(asBob, project, (access) => access.contextRows("a-shared", 0))).toEqual([]);
    await asAlice.pool.query(`UPDATE victor.sessions SET shared = true WHERE id = 'a-shared'`);
  });
});

import { afterAll, beforeAll, expect, it } from "vitest";
import { pgAccess, pgTransaction } from "../../src/engine/pg/access.js";
import type { PgConnection } from "../../src/engine/pg/connection.js";
import { DatabaseOpenError, SessionExistsError } from "../../src/domain/errors.js";
import type { PgTestRole } from "@victor/test-utils";
import { describePg, pgFixture, type PgFixture } from "./helpers.js";
import { PgHarness, input, msgs } from "./harness.js";

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
    const harness = new PgHarness(asAlice, project);
    await harness.save(input(msgs("alice private secret about walruses", "reply"), { sessionId: "a-private" }));
    await harness.save(input(msgs("alice shared notes about otters", "reply"), { sessionId: "a-shared" }));
    await pgTransaction(asAlice, project, async (access) => {
      const head = (await access.sessionHead("a-shared", { forUpdate: true }))!;
      await access.updateSession({ id: "a-shared", name: head.name, search_title: "alice shared notes about otters", provider: "openai", model: "gpt-test", profile: "default", data: JSON.stringify(head.data), created_at: head.created_at, updated_at: head.created_at, message_count: 2, parent_id: null, shared: true });
    });
    await new PgHarness(asBob, project).save(input(msgs("bob private plans", "reply"), { sessionId: "b-private" }));
  });

  afterAll(async () => {
    await fixture?.cleanup();
  });

  const bobAccess = () => pgAccess(asBob.db, { project, target: asBob.target });

  it("a writer sees its own sessions and shared ones, through every read of the access module", async () => {
    const access = bobAccess();
    expect((await access.listSessions({ limit: -1, offset: 0 })).map((s) => s.id).sort()).toEqual(["a-shared", "b-private"]);
    expect(await access.sessionExists("a-private")).toBe(false);
    expect(await access.sessionRow("a-private")).toBeNull();
    expect(await access.messagesOf("a-private")).toEqual([]);
    expect(await access.searchSessions("walruses", 10)).toEqual([]);
    expect(await access.searchSessions("alice", 10).then((r) => r.map((s) => s.id))).toEqual(["a-shared"]);
    expect((await access.messagesOf("a-shared")).map((m) => m.content)).toEqual(["alice shared notes about otters", "reply"]);
    expect(await access.stats()).toMatchObject({ sessions: 2 });
    expect(await new PgHarness(asAlice, project).load("a-private")).not.toBeNull();
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
    expect(await bobAccess().deleteSession("a-shared")).toBe(false);
    expect(await bobAccess().updateSession({ id: "a-shared", name: "hijacked", search_title: "", provider: "", model: "", profile: "", data: "{}", created_at: "x", updated_at: "x", message_count: 0, parent_id: null })).toBeNull();
    expect((await new PgHarness(asAlice, project).load("a-shared"))!.metadata.title).toBe("alice shared notes about otters");
  });

  it("ids stay unique across roles: an id taken by an invisible session is never reused", async () => {
    await expect(bobAccess().insertSession({ id: "a-private", name: "x", search_title: "x", provider: "", model: "", profile: "default", data: "{}", created_at: "x", updated_at: "x", message_count: 0, parent_id: null, revision: 1 })).rejects.toThrow(
      SessionExistsError,
    );
    const id = await bobAccess().insertSessionWithFreshId("a-private", { name: "x", search_title: "x", provider: "", model: "", profile: "default", data: "{}", created_at: "x", updated_at: "x", message_count: 0, parent_id: null, revision: 1 });
    expect(id).toBe("a-private_2");
  });

  it("victor_reader reads shared sessions and cannot write anything", async () => {
    const access = pgAccess(asCarol.db, { project, target: asCarol.target });
    expect((await access.listSessions({ limit: -1, offset: 0 })).map((s) => s.id)).toEqual(["a-shared"]);
    expect((await access.messagesOf("a-shared")).length).toBe(2);
    await expect(access.insertSession({ id: "c1", name: "x", search_title: "x", provider: "", model: "", profile: "default", data: "{}", created_at: "x", updated_at: "x", message_count: 0, parent_id: null, revision: 1 })).rejects.toThrow(
      DatabaseOpenError,
    );
    await expect(asCarol.pool.query(`DELETE FROM victor.sessions`)).rejects.toMatchObject({ code: "42501" });
  });

  it("a role in neither group reads nothing at all", async () => {
    const stranger = await fixture.createLoginRole("stranger", []);
    const asStranger = fixture.connect(stranger.url);
    const error = await pgAccess(asStranger.db, { project, target: asStranger.target }).listSessions({ limit: 10, offset: 0 }).catch((e: unknown) => e);
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
    const ownerAccess = pgAccess(owner.db, { project, target: owner.target });
    expect((await ownerAccess.searchSessions("walruses", 10)).map((r) => r.id)).toEqual(["a-private"]);
    const stranger = await fixture.createLoginRole("outsider", []);
    await owner.pool.query(`GRANT USAGE ON SCHEMA victor TO ${stranger.name}`);
    await expect(fixture.connect(stranger.url).pool.query(`SELECT * FROM victor.search_candidates($1, 'reply'::tsquery, 10)`, [project])).rejects.toMatchObject({ code: "42501" });
  });

  it("unsharing takes a session out of the others' sight at once", async () => {
    await asAlice.pool.query(`UPDATE victor.sessions SET shared = false WHERE id = 'a-shared'`);
    expect(await bobAccess().sessionExists("a-shared")).toBe(false);
    expect(await bobAccess().messagesOf("a-shared")).toEqual([]);
    await asAlice.pool.query(`UPDATE victor.sessions SET shared = true WHERE id = 'a-shared'`);
  });
});

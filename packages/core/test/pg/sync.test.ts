import type { PgTestRole } from "@victor/test-utils";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openSessionStore, pullSessions, pushSessions, SessionNotFoundError, toSaveInput, type SessionStore } from "../../src/index.js";
import { cleanupTempDirs, tempDir } from "../helpers.js";
import { describePg, pgFixture, type PgFixture } from "./helpers.js";
import { msgs } from "./harness.js";

const project = "github.com/acme/team";

describePg("push and pull with row-level security: two people, one server", () => {
  let fixture: PgFixture;
  let alice: PgTestRole;
  let bob: PgTestRole;
  const stores: SessionStore[] = [];
  const open = async (options: Parameters<typeof openSessionStore>[0]) => {
    const store = await openSessionStore(options);
    stores.push(store);
    return store;
  };
  const file = () => open({ dbPath: join(tempDir(), "project.db") });
  const server = (role: PgTestRole) => open({ url: role.url, project });

  beforeAll(async () => {
    fixture = await pgFixture();
    await fixture.migrated();
    alice = await fixture.createLoginRole("alice", ["victor_writer"]);
    bob = await fixture.createLoginRole("bob", ["victor_writer"]);
  });

  afterAll(async () => {
    for (const store of stores) await store.close();
    await fixture?.cleanup();
    cleanupTempDirs();
  });

  it("pushed sessions are private unless --share; a teammate continues a shared one as a fork of their own", async () => {
    const alicesFile = await file();
    const alicesServer = await server(alice);
    const save = (id: string, texts: string[]) => alicesFile.saveSession({ sessionId: id, conversation: { messages: msgs(...texts) }, model: "m", provider: "p", force: true });
    await save("private-notes", ["alice's walrus secrets", "ok"]);
    await save("team-notes", ["deploy checklist", "ok"]);
    await pushSessions(alicesFile, alicesServer, { ids: ["private-notes"] });
    expect((await pushSessions(alicesFile, alicesServer, { ids: ["team-notes"], share: true })).sessions).toEqual([
      { id: "team-notes", targetId: "team-notes", status: "created", messagesSent: 2, shared: true },
    ]);

    const bobsFile = await file();
    const bobsServer = await server(bob);
    // Bob's own sessions by default: none yet. Shared ones when asked; a private one is not there for him.
    expect((await pullSessions(bobsFile, bobsServer)).sessions).toEqual([]);
    expect((await pullSessions(bobsFile, bobsServer, { includeShared: true })).sessions.map((s) => [s.id, s.status])).toEqual([["team-notes", "created"]]);
    await expect(pullSessions(bobsFile, bobsServer, { ids: ["private-notes"] })).rejects.toThrow(SessionNotFoundError);
    const raw = fixture.connect(bob.url);
    expect((await raw.pool.query(`SELECT id FROM victor.sessions`)).rows).toEqual([{ id: "team-notes" }]);
    expect((await raw.pool.query(`SELECT count(*)::int AS n FROM victor.messages WHERE session_id = 'private-notes'`)).rows[0].n).toBe(0);

    // Alice adds to it: Bob's plain pull brings that (a session an earlier pull brought is followed).
    await save("team-notes", ["deploy checklist", "ok", "alice: step 2"]);
    await pushSessions(alicesFile, alicesServer);
    expect((await pullSessions(bobsFile, bobsServer)).sessions).toEqual([{ id: "team-notes", targetId: "team-notes", status: "updated", messagesSent: 1 }]);

    // Bob carries Alice's session on: it is not his to change, so his version goes beside it, his own.
    const teamNotes = await bobsFile.getSession("team-notes");
    await bobsFile.saveSession({ sessionId: "team-notes", conversation: { messages: [...teamNotes.conversation.messages, ...msgs("bob: step 3 done")] }, model: "m", provider: "p" });
    const push = await pushSessions(bobsFile, bobsServer);
    expect(push.sessions).toEqual([{ id: "team-notes", targetId: "team-notes_2", status: "forked", messagesSent: 4, forkOf: "team-notes", reason: "not-yours" }]);
    const owners = await fixture.connect().pool.query(`SELECT id, owner, shared, parent_id FROM victor.sessions WHERE project = $1 ORDER BY id`, [project]);
    expect(owners.rows).toEqual([
      { id: "private-notes", owner: alice.name, shared: false, parent_id: null },
      { id: "team-notes", owner: alice.name, shared: true, parent_id: null },
      { id: "team-notes_2", owner: bob.name, shared: false, parent_id: "team-notes" },
    ]);
    expect((await alicesServer.getSession("team-notes")).conversation.messages).toHaveLength(3);

    // Alice makes hers private again: Bob no longer sees it, his fork stays his.
    expect((await pushSessions(alicesFile, alicesServer, { ids: ["team-notes"], share: false })).sessions[0]).toMatchObject({ status: "unchanged", shared: false });
    expect((await bobsServer.listSessions({ limit: -1 })).map((s) => s.id)).toEqual(["team-notes_2"]);
  });

  it("a copy of a teammate's shared session that came by file, pushed unchanged, is linked to it, not sent again", async () => {
    const alicesFile = await file();
    const alicesServer = await server(alice);
    await alicesFile.saveSession({ sessionId: "handbook", conversation: { messages: msgs("onboarding steps", "ok") }, model: "m", provider: "p" });
    await pushSessions(alicesFile, alicesServer, { share: true });
    const bobsFile = await file();
    const bobsServer = await server(bob);
    await bobsFile.importSessions([{ input: toSaveInput(await alicesFile.getSession("handbook")), onConflict: "skip" }]);

    expect((await pushSessions(bobsFile, bobsServer)).sessions).toEqual([{ id: "handbook", targetId: "handbook", status: "linked", messagesSent: 0 }]);
    expect((await fixture.connect().pool.query(`SELECT id, owner FROM victor.sessions WHERE id LIKE 'handbook%'`)).rows).toEqual([{ id: "handbook", owner: alice.name }]);
    // Carried on, Bob's version becomes a fork of his own.
    const handbook = await bobsFile.getSession("handbook");
    await bobsFile.saveSession({ sessionId: "handbook", conversation: { messages: [...handbook.conversation.messages, ...msgs("bob: step 2")] }, model: "m", provider: "p" });
    expect((await pushSessions(bobsFile, bobsServer)).sessions).toEqual([{ id: "handbook", targetId: "handbook_2", status: "forked", messagesSent: 3, forkOf: "handbook", reason: "not-yours" }]);
  });
});

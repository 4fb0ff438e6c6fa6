import type { PgTestDatabase, PgTestRole, RunResult } from "@victor/test-utils";
import { openSessionStore } from "@victor/core";
import { mkdirSync, writeFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describePg, messages, passwordOf, pgDatabase, pgProject, type PgProject } from "./helpers.js";

/**
 * `victor sessions push/pull/sync` through the CLI: two machines (two clones of one repository,
 * each with its own project file) share sessions through one server; two people share what they
 * push with --share, and nothing else.
 */

const REMOTE = "https://github.com/acme/shop.git";

/** Saves a session into a machine's project file, as its chat would. */
async function saveLocal(machine: PgProject, id: string, texts: string[]): Promise<void> {
  const store = await openSessionStore({ dbPath: machine.dir.join(".victor", "project.db") });
  try {
    await store.saveSession({ sessionId: id, conversation: { messages: messages(...texts) }, model: "claude-sonnet-4", provider: "anthropic", force: true });
  } finally {
    await store.close();
  }
}

async function localMessages(machine: PgProject, id: string): Promise<unknown[]> {
  const store = await openSessionStore({ dbPath: machine.dir.join(".victor", "project.db") });
  try {
    return (await store.getSession(id)).conversation.messages.map((m) => m.content);
  } finally {
    await store.close();
  }
}

describePg("victor sessions push / pull / sync", () => {
  let db: PgTestDatabase;
  let alice: PgTestRole;
  let bob: PgTestRole;
  const machines: PgProject[] = [];
  const outputs: RunResult[] = [];
  const machine = (env: Record<string, string>, remote = REMOTE) => {
    const m = pgProject(remote, env);
    machines.push(m);
    return m;
  };
  const run = async (m: PgProject, args: string[], env: Record<string, string> = {}) => {
    const result = await m.run(args, { env });
    outputs.push(result);
    return result;
  };
  const json = (result: RunResult) => {
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout);
  };

  beforeAll(async () => {
    db = await pgDatabase();
    alice = await db.createLoginRole("alice", ["victor_writer"]);
    bob = await db.createLoginRole("bob", ["victor_writer"]);
  });

  afterAll(async () => {
    for (const m of machines) m.remove();
    await db?.drop();
  });

  it("two machines share their sessions through the server: only new messages travel, a conflict becomes a fork, nothing is overwritten", async () => {
    const laptop = machine({ VICTOR_REMOTE_URL: alice.url });
    const desktop = machine({ VICTOR_REMOTE_URL: alice.url });
    await saveLocal(laptop, "20260110_090000", ["Plan the checkout rewrite", "Start with the cart.", "And then?", "Payments."]);
    const pushed = await run(laptop, ["sessions", "push"]);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout).toContain(`Pushed to ${alice.url.replace(`:${passwordOf(alice.url)}`, "")} · project github.com/acme/shop`);
    expect(pushed.stdout).toContain("1 session sent (4 messages): 1 created");
    expect(json(await run(laptop, ["sessions", "push", "--json"]))).toMatchObject({ direction: "push", sessions_sent: 0, messages_sent: 0, counts: { unchanged: 1 } });

    const pulled = json(await run(desktop, ["sessions", "pull", "--json"]));
    expect(pulled.sessions).toEqual([{ session_id: "20260110_090000", target_id: "20260110_090000", status: "created", messages_sent: 4 }]);
    await saveLocal(desktop, "20260110_090000", ["Plan the checkout rewrite", "Start with the cart.", "And then?", "Payments.", "Desktop: payments done"]);
    const synced = json(await run(desktop, ["sessions", "sync", "--json"]));
    expect(synced.push.sessions[0]).toMatchObject({ status: "updated", messages_sent: 1 });
    expect(synced.pull.counts.unchanged).toBe(1);
    const back = json(await run(laptop, ["sessions", "sync", "--json"]));
    expect(back.pull.sessions[0]).toMatchObject({ status: "updated", messages_sent: 1 });
    expect(await localMessages(laptop, "20260110_090000")).toHaveLength(5);

    // Both change the same session before syncing: the second sync keeps both, reported.
    await saveLocal(laptop, "20260110_090000", [...((await localMessages(laptop, "20260110_090000")) as string[]), "Laptop: tests"]);
    await saveLocal(desktop, "20260110_090000", [...((await localMessages(desktop, "20260110_090000")) as string[]), "Desktop: docs"]);
    expect((await run(desktop, ["sessions", "sync"])).code).toBe(0);
    const conflict = await run(laptop, ["sessions", "sync"]);
    expect(conflict.code, conflict.stderr).toBe(0);
    expect(conflict.stdout).toContain("Kept as forks, nothing overwritten (1):");
    expect(conflict.stdout).toMatch(/20260110_090000 → 20260110_090000_2 \(a fork of 20260110_090000 there: it changed there too\)/);
    expect(conflict.stdout).toContain("Pulled from");
    const onServer = json(await run(laptop, ["sessions", "list", "--json", "--db", alice.url]));
    expect(onServer.map((s: { session_id: string; parent_id: string | null }) => [s.session_id, s.parent_id]).sort()).toEqual([
      ["20260110_090000", null],
      ["20260110_090000_2", "20260110_090000"],
    ]);
    // The laptop has its own version and the desktop's, as a fork; every message is somewhere.
    const laptopIds = json(await run(laptop, ["sessions", "list", "--json"])).map((s: { session_id: string }) => s.session_id);
    expect(laptopIds).toHaveLength(2);
    expect(await localMessages(laptop, "20260110_090000")).toContain("Laptop: tests");
    const desktopsVersion = laptopIds.find((id: string) => id !== "20260110_090000");
    expect(await localMessages(laptop, desktopsVersion)).toContain("Desktop: docs");
    // Idempotent from here on.
    expect(json(await run(laptop, ["sessions", "sync", "--json"]))).toMatchObject({ push: { sessions_sent: 0 }, pull: { sessions_sent: 0 } });
  });

  it("where the server is: --to/--from, VICTOR_REMOTE_URL, or .victor/config.json; none is a usage error saying all three", async () => {
    const m = machine({});
    await saveLocal(m, "c1", ["configured remote", "ok"]);
    const none = await run(m, ["sessions", "push"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`Name the other store: --to postgres://USER@HOST/DATABASE, or set VICTOR_REMOTE_URL, or put { "remote": "postgres://…" } in ${m.dir.join(".victor", "config.json")}.`);
    writeFileSync(m.dir.join(".victor", "config.json"), JSON.stringify({ remote: alice.url }));
    expect(json(await run(m, ["sessions", "push", "--json"])).counts.created).toBe(1);
    expect(json(await run(m, ["sessions", "pull", "--json", "--from", alice.url])).counts.unchanged).toBe(1);
    // Another file works as the other side too.
    const other = m.dir.join("elsewhere.db");
    expect(json(await run(m, ["sessions", "push", "c1", "--json", "--to", other])).sessions[0]).toMatchObject({ status: "created", target_id: "c1" });
    const share = await run(m, ["sessions", "push", "--share", "--to", other]);
    expect([share.code, share.stderr]).toEqual([1, expect.stringContaining("--share is for a PostgreSQL server")]);
    const fresh = machine({ VICTOR_REMOTE_URL: alice.url });
    mkdirSync(fresh.dir.join("sub"));
    const nothing = await fresh.run(["sessions", "push"]);
    expect(nothing.stdout).toContain("No sessions here to push");
  });

  it("pushed sessions are private unless --share: a teammate pulls only what was shared, and carries it on as a fork of their own", async () => {
    const alices = machine({ VICTOR_REMOTE_URL: alice.url }, "https://github.com/acme/team.git");
    const bobs = machine({ VICTOR_REMOTE_URL: bob.url }, "git@github.com:acme/team.git");
    await saveLocal(alices, "a-private", ["alice's private walrus notes", "ok"]);
    await saveLocal(alices, "a-team", ["release checklist", "1. tag"]);
    expect((await run(alices, ["sessions", "push", "a-private"])).code).toBe(0);
    const shared = json(await run(alices, ["sessions", "push", "a-team", "--share", "--json"]));
    expect(shared.sessions[0]).toMatchObject({ status: "created", shared: true });
    // Sharing what is already there sends nothing, and the report says what it did.
    const unshared = await run(alices, ["sessions", "push", "a-team", "--no-share"]);
    expect(unshared.stdout).toMatch(/Nothing to send · 1 unchanged\.\nPrivate: only you can read them \(1\): a-team\n/);
    const reshared = await run(alices, ["sessions", "push", "a-team", "--share"]);
    expect(reshared.stdout).toMatch(/Nothing to send · 1 unchanged\.\nShared: readable by the server's other users \(1\): a-team\n/);

    expect(json(await run(bobs, ["sessions", "pull", "--json"])).sessions).toEqual([]);
    expect(json(await run(bobs, ["sessions", "pull", "--include-shared", "--json"])).sessions.map((s: { session_id: string }) => s.session_id)).toEqual(["a-team"]);
    const notVisible = await run(bobs, ["sessions", "pull", "a-private"]);
    expect([notVisible.code, notVisible.stderr]).toEqual([1, expect.stringContaining("Session not found: a-private")]);
    const asBob = new pg.Client({ connectionString: bob.url });
    await asBob.connect();
    try {
      expect((await asBob.query(`SELECT id FROM victor.sessions ORDER BY id`)).rows).toEqual([{ id: "a-team" }]);
      expect((await asBob.query(`SELECT count(*)::int AS n FROM victor.messages WHERE session_id = 'a-private'`)).rows[0].n).toBe(0);
    } finally {
      await asBob.end();
    }
    expect(json(await run(bobs, ["sessions", "search", "walrus", "--json", "--db", bob.url]))).toEqual([]);

    await saveLocal(bobs, "a-team", ["release checklist", "1. tag", "bob: 2. publish"]);
    const carried = await run(bobs, ["sessions", "push"]);
    expect(carried.stdout).toContain("a-team → a-team_2 (a fork of a-team there: that one is not yours to change)");
    const owners = json(await run(alices, ["sessions", "list", "--json", "--db", alice.url]));
    expect(owners.map((s: { session_id: string; owner: string }) => [s.session_id, s.owner === alice.name ? "alice" : "bob"]).sort()).toEqual([
      ["a-private", "alice"],
      ["a-team", "alice"],
    ]);
    expect(json(await run(bobs, ["sessions", "list", "--json", "--db", bob.url])).map((s: { session_id: string }) => s.session_id).sort()).toEqual(["a-team", "a-team_2"]);

    // Clearing on the server deletes bob's own and says which shared one it had to keep.
    const cleared = await run(bobs, ["sessions", "clear", "--all", "--yes", "--db", bob.url]);
    expect(cleared.stdout).toContain("Found 2 sessions in the database; cleared 1; kept 1 session that is not yours to delete (shared by a teammate): a-team.");
    expect(json(await run(alices, ["sessions", "list", "--json", "--db", alice.url])).map((s: { session_id: string }) => s.session_id).sort()).toEqual(["a-private", "a-team"]);
  });

  it("no sync output holds a password", () => {
    for (const password of [passwordOf(alice.url), passwordOf(bob.url)]) {
      for (const result of outputs) expect(`${result.stdout}${result.stderr}`).not.toContain(password);
    }
  });
});

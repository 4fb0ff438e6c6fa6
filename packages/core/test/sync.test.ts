import Database from "better-sqlite3";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { openSessionStore, pullSessions, pushSessions, UnsupportedOnEngineError, type Message, type SessionStore, type SyncReport } from "../src/index.js";
import { describeEngines, type StoreFixture } from "./engines.js";
import { cleanupTempDirs, tempDir } from "./helpers.js";

afterAll(cleanupTempDirs);
const run = promisify(execFile);

/**
 * push/pull between a project's SQLite file ("a machine") and a store shared by several machines:
 * an SQLite file or a PostgreSQL server (the same rules, the same code, on both).
 */

const messages = (...texts: string[]): Message[] => texts.map((content, i) => ({ role: i % 2 === 0 ? "user" : "assistant", content }));
const save = (store: SessionStore, sessionId: string, conversation: Message[], extra: { title?: string; parentId?: string; createdAt?: string; updatedAt?: string } = {}) =>
  store.saveSession({ sessionId, conversation: { system_prompt: "You are Victor.", messages: conversation }, model: "m", provider: "p", force: true, ...extra });
const contents = async (store: SessionStore, id: string) => (await store.getSession(id)).conversation.messages.map((m) => m.content);
const statuses = (report: SyncReport) => Object.fromEntries(report.sessions.map((s) => [s.id, s.status]));

// Worker processes import the built package (run `pnpm --filter @victor/core build` after changing src).
const DIST = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const WORKER = fileURLToPath(new URL("./fixtures/sync-worker.mjs", import.meta.url));

/** Pushes each local file to the shared store from a process of its own, all at the same moment. */
async function pushInProcesses(shared: StoreFixture, localPaths: readonly string[]): Promise<SyncReport[]> {
  const startAt = String(Date.now() + 500);
  return Promise.all(
    localPaths.map(async (dbPath) => {
      const { stdout } = await run(process.execPath, [WORKER, pathToFileURL(DIST).href, JSON.stringify({ dbPath }), JSON.stringify(shared.openOptions), startAt]);
      const report = JSON.parse(stdout.trim()) as SyncReport & { error?: string };
      if (report.error) throw new Error(report.error);
      return report;
    }),
  );
}

/** A machine: its own project file, and its own connection to the shared store. */
async function machine(shared: StoreFixture, stores: SessionStore[]): Promise<{ local: SessionStore; remote: SessionStore; path: string }> {
  const path = join(tempDir(), "project.db");
  const local = await openSessionStore({ dbPath: path });
  stores.push(local);
  return { local, remote: await shared.another(), path };
}

describeEngines("push and pull", (engine) => {
  const locals: SessionStore[] = [];
  const setup = async () => {
    const shared = await engine.fresh();
    const laptop = await machine(shared, locals);
    const desktop = await machine(shared, locals);
    return { shared, laptop, desktop };
  };
  const cleanup = async () => {
    while (locals.length > 0) await locals.pop()!.close();
  };

  it("a push copies every session; a second push skips them all unread; one new message sends one message", async () => {
    try {
      const { shared, laptop } = await setup();
      const long = messages(...Array.from({ length: 40 }, (_, i) => `message ${i}`));
      await save(laptop.local, "s-long", long, { title: "Long one" });
      await save(laptop.local, "s-short", messages("hello", "hi"));
      const first = await pushSessions(laptop.local, laptop.remote);
      expect(statuses(first)).toEqual({ "s-long": "created", "s-short": "created" });
      expect(first).toMatchObject({ direction: "push", sessionsSent: 2, messagesSent: 42 });
      expect(await contents(shared.store, "s-long")).toEqual(long.map((m) => m.content));
      expect((await shared.store.getSession("s-long")).metadata.title).toBe("Long one");

      const again = await pushSessions(laptop.local, laptop.remote);
      expect(statuses(again)).toEqual({ "s-long": "unchanged", "s-short": "unchanged" });
      expect(again).toMatchObject({ sessionsSent: 0, messagesSent: 0 });

      const before = await shared.messageRows("s-long");
      await save(laptop.local, "s-long", [...long, { role: "user", content: "one more" }]);
      const third = await pushSessions(laptop.local, laptop.remote);
      expect(third.sessions.find((s) => s.id === "s-long")).toMatchObject({ status: "updated", messagesSent: 1 });
      expect(third.messagesSent).toBe(1);
      const after = await shared.messageRows("s-long");
      // The 40 stored rows are the same rows (same ids): only the new one was written.
      expect(after.slice(0, 40).map((r) => r.id)).toEqual(before.map((r) => r.id));
      expect(after.at(-1)).toMatchObject({ position: 40, content: "one more" });
    } finally {
      await cleanup();
    }
  });

  it("two machines through one shared store: what one pushes the other pulls, only the new messages travel", async () => {
    try {
      const { laptop, desktop } = await setup();
      await save(laptop.local, "work", messages("plan the release", "sure", "step one", "done"));
      await pushSessions(laptop.local, laptop.remote);
      expect(statuses(await pullSessions(desktop.local, desktop.remote))).toEqual({ work: "created" });
      await save(desktop.local, "work", [...(await desktop.local.getSession("work")).conversation.messages, ...messages("step two", "done too")]);
      expect(statuses(await pushSessions(desktop.local, desktop.remote))).toEqual({ work: "updated" });
      const pulled = await pullSessions(laptop.local, laptop.remote);
      expect(pulled.sessions).toEqual([{ id: "work", targetId: "work", status: "updated", messagesSent: 2 }]);
      expect(await contents(laptop.local, "work")).toEqual(["plan the release", "sure", "step one", "done", "step two", "done too"]);
      // Nothing changed anywhere since: every direction is a no-op.
      expect((await pushSessions(laptop.local, laptop.remote)).counts.unchanged).toBe(1);
      expect((await pullSessions(desktop.local, desktop.remote)).counts.unchanged).toBe(1);
      expect((await pushSessions(desktop.local, desktop.remote)).counts.unchanged).toBe(1);
    } finally {
      await cleanup();
    }
  });

  it("a compaction travels as the new context; each side keeps every message it ever held, marked out of the context", async () => {
    try {
      const { shared, laptop, desktop } = await setup();
      const turns = messages(...Array.from({ length: 10 }, (_, i) => `turn ${i}`));
      await save(laptop.local, "long", turns);
      await pushSessions(laptop.local, laptop.remote);
      await pullSessions(desktop.local, desktop.remote);
      const compact: Message[] = [{ role: "system", content: "[Previous conversation summary]\nthe gist" }, ...turns.slice(-2)];
      await laptop.local.saveSession({
        sessionId: "long",
        conversation: { system_prompt: "You are Victor.", messages: compact },
        model: "m",
        provider: "p",
        contextChange: { kind: "compact-smart", through: compact.length },
      });
      expect(statuses(await pushSessions(laptop.local, laptop.remote))).toEqual({ long: "updated" });
      expect(statuses(await pullSessions(desktop.local, desktop.remote))).toEqual({ long: "updated" });
      for (const store of [shared.store, desktop.local]) {
        expect(await contents(store, "long")).toEqual(compact.map((m) => m.content));
        const history = (await store.getSession("long", { all: true })).context_history!;
        expect(history.out_of_context.map((r) => r.message.content)).toEqual(expect.arrayContaining(turns.slice(0, 8).map((m) => m.content)));
      }
      // Compacted before its first push: the history travels with it, every message arrives.
      await save(laptop.local, "fresh", turns);
      await laptop.local.saveSession({
        sessionId: "fresh",
        conversation: { system_prompt: "You are Victor.", messages: compact },
        model: "m",
        provider: "p",
        contextChange: { kind: "compact-smart", through: compact.length },
      });
      await pushSessions(laptop.local, laptop.remote);
      await pullSessions(desktop.local, desktop.remote);
      for (const store of [shared.store, desktop.local]) {
        expect(await contents(store, "fresh")).toEqual(compact.map((m) => m.content));
        const history = (await store.getSession("fresh", { all: true })).context_history!;
        expect(history.out_of_context.map((r) => r.message.content)).toEqual(expect.arrayContaining(turns.slice(0, 8).map((m) => m.content)));
        expect(history.epochs.map((e) => e.kind)).toEqual(["compact-smart"]);
      }
      // A message after the compaction: only it travels, on top of the compacted context.
      await save(desktop.local, "long", [...compact, { role: "user", content: "and then" }]);
      expect((await pushSessions(desktop.local, desktop.remote)).sessions).toEqual(
        expect.arrayContaining([
          { id: "fresh", targetId: "fresh", status: "unchanged", messagesSent: 0 },
          { id: "long", targetId: "long", status: "updated", messagesSent: 1 },
        ]),
      );
      expect(statuses(await pullSessions(laptop.local, laptop.remote))).toEqual({ fresh: "unchanged", long: "updated" });
      expect(await contents(laptop.local, "long")).toEqual([...compact.map((m) => m.content), "and then"]);
    } finally {
      await cleanup();
    }
  });

  it("changed on both sides: the incoming version is kept as a fork (parent_id), never an overwrite, and reported", async () => {
    try {
      const { shared, laptop, desktop } = await setup();
      await save(laptop.local, "s1", messages("start", "ok"));
      await pushSessions(laptop.local, laptop.remote);
      await pullSessions(desktop.local, desktop.remote);
      await save(laptop.local, "s1", messages("start", "ok", "laptop's turn"));
      await save(desktop.local, "s1", messages("start", "ok", "desktop's turn"));
      await pushSessions(desktop.local, desktop.remote);
      const push = await pushSessions(laptop.local, laptop.remote);
      expect(push.sessions).toEqual([{ id: "s1", targetId: "s1_2", status: "forked", messagesSent: 3, forkOf: "s1", reason: "changed-on-both-sides" }]);
      expect(await contents(shared.store, "s1")).toEqual(["start", "ok", "desktop's turn"]);
      expect(await contents(shared.store, "s1_2")).toEqual(["start", "ok", "laptop's turn"]);
      expect((await shared.store.getSession("s1_2")).metadata.parent_id).toBe("s1");
      // The laptop's s1 now goes to the fork; the server's s1 comes back to the laptop as a fork of its own.
      const pull = await pullSessions(laptop.local, laptop.remote);
      expect(statuses(pull)).toEqual({ s1: "forked", s1_2: "unchanged" });
      const forked = pull.sessions.find((s) => s.id === "s1")!;
      expect(await contents(laptop.local, forked.targetId!)).toEqual(["start", "ok", "desktop's turn"]);
      expect(await contents(laptop.local, "s1")).toEqual(["start", "ok", "laptop's turn"]);
      await save(laptop.local, "s1", messages("start", "ok", "laptop's turn", "more"));
      expect((await pushSessions(laptop.local, laptop.remote)).sessions.find((s) => s.id === "s1")).toMatchObject({ targetId: "s1_2", status: "updated", messagesSent: 1 });
    } finally {
      await cleanup();
    }
  });

  it("changed only on the other side: nothing to send; deleted there: not sent again unless named", async () => {
    try {
      const { shared, laptop, desktop } = await setup();
      await save(laptop.local, "a", messages("a"));
      await save(laptop.local, "b", messages("b"));
      await pushSessions(laptop.local, laptop.remote);
      await pullSessions(desktop.local, desktop.remote);
      await save(desktop.local, "a", messages("a", "desktop added"));
      await pushSessions(desktop.local, desktop.remote);
      await shared.store.deleteSession("b");
      const push = await pushSessions(laptop.local, laptop.remote);
      expect(statuses(push)).toEqual({ a: "newer-there", b: "deleted-there" });
      expect(push.messagesSent).toBe(0);
      expect(await contents(shared.store, "a")).toEqual(["a", "desktop added"]);
      expect(statuses(await pushSessions(laptop.local, laptop.remote, { ids: ["b"] }))).toEqual({ b: "created" });
      // A pull respects a local delete the same way.
      await laptop.local.deleteSession("a");
      await pullSessions(laptop.local, laptop.remote);
      await desktop.local.deleteSession("a");
      expect(statuses(await pullSessions(desktop.local, desktop.remote))).toMatchObject({ a: "deleted-there" });
    } finally {
      await cleanup();
    }
  });

  it("never synced, same id: the same content is linked, other content comes in under a new id", async () => {
    try {
      const { shared, laptop, desktop } = await setup();
      // The same session brought in on both machines (victor import of the same file): same content, same times.
      const imported = { title: "Imported", createdAt: "2026-01-01T12:00:00.000Z", updatedAt: "2026-01-01T12:30:00.000Z" };
      await save(laptop.local, "20260101_120000", messages("the same import", "ok"), imported);
      await save(desktop.local, "20260101_120000", messages("the same import", "ok"), imported);
      await save(laptop.local, "20260102_090000", messages("laptop's own session"));
      await save(desktop.local, "20260102_090000", messages("desktop's own session"));
      await pushSessions(laptop.local, laptop.remote);
      const push = await pushSessions(desktop.local, desktop.remote);
      expect(push.sessions).toEqual([
        { id: "20260101_120000", targetId: "20260101_120000", status: "linked", messagesSent: 0 },
        { id: "20260102_090000", targetId: "20260102_090000_2", status: "renamed", messagesSent: 1 },
      ]);
      expect(await contents(shared.store, "20260102_090000")).toEqual(["laptop's own session"]);
      expect(await contents(shared.store, "20260102_090000_2")).toEqual(["desktop's own session"]);
      expect((await pushSessions(desktop.local, desktop.remote)).counts.unchanged).toBe(2);
    } finally {
      await cleanup();
    }
  });

  it("a fork keeps its link when its parent lands under another id (in the same batch or an earlier one)", async () => {
    try {
      const { shared, laptop, desktop } = await setup();
      await save(desktop.local, "p", messages("desktop's p"));
      await pushSessions(desktop.local, desktop.remote);
      await save(laptop.local, "p", messages("laptop's p"));
      await save(laptop.local, "f", messages("laptop's p", "forked on"), { parentId: "p" });
      const push = await pushSessions(laptop.local, laptop.remote, { batchSessions: 1 });
      expect(statuses(push)).toEqual({ p: "renamed", f: "created" });
      expect((await shared.store.getSession("f")).metadata.parent_id).toBe("p_2");
      await save(laptop.local, "g", messages("laptop's p", "another fork"), { parentId: "p" });
      await pushSessions(laptop.local, laptop.remote);
      expect((await shared.store.getSession("g")).metadata.parent_id).toBe("p_2");
    } finally {
      await cleanup();
    }
  });

  it("a run killed after the receiving side's commit is finished by the next one: nothing lost, nothing twice", async () => {
    try {
      const { shared, laptop } = await setup();
      for (let i = 0; i < 5; i++) await save(laptop.local, `k${i}`, messages(`session ${i}`, "reply"));
      await pushSessions(laptop.local, laptop.remote, { batchSessions: 2 });
      // As if the process died before writing its own ledger: the receiving side has everything.
      const db = new Database(laptop.path);
      db.exec("DELETE FROM sync_ledger");
      db.close();
      const resumed = await pushSessions(laptop.local, laptop.remote);
      expect(resumed.counts.unchanged).toBe(5);
      expect(resumed.messagesSent).toBe(0);
      expect(await shared.counts()).toEqual({ sessions: 5, messages: 10 });
      // The local ledger was written again from the receiver's: later pushes are plain.
      await save(laptop.local, "k0", messages("session 0", "reply", "more"));
      expect((await pushSessions(laptop.local, laptop.remote)).sessions.find((s) => s.id === "k0")).toMatchObject({ status: "updated", messagesSent: 1 });
    } finally {
      await cleanup();
    }
  });

  it("concurrent pushes from other processes: the same version twice lands once; two different versions give an update and a fork", async () => {
    try {
      const { shared, laptop, desktop } = await setup();
      await save(laptop.local, "c", messages("shared start"));
      await pushSessions(laptop.local, laptop.remote);
      await pullSessions(desktop.local, desktop.remote);
      // Two processes on the laptop push the same change at the same moment.
      await save(laptop.local, "c", messages("shared start", "laptop"));
      const twice = await pushInProcesses(shared, [laptop.path, laptop.path]);
      expect(twice.map((report) => report.sessions[0]!.status).sort()).toEqual(["unchanged", "updated"]);
      expect(await shared.counts()).toEqual({ sessions: 1, messages: 2 });
      // Two machines push different changes at the same moment.
      await save(laptop.local, "c", messages("shared start", "laptop", "laptop again"));
      await save(desktop.local, "c", messages("shared start", "desktop"));
      const both = await pushInProcesses(shared, [laptop.path, desktop.path]);
      const fork = both.flatMap((report) => report.sessions).find((s) => s.status === "forked");
      expect(both.map((report) => report.sessions[0]!.status).sort()).toEqual(["forked", "updated"]);
      expect(fork).toMatchObject({ targetId: "c_2", forkOf: "c" });
      expect((await shared.store.listSessions({ limit: -1 })).map((s) => s.id).sort()).toEqual(["c", "c_2"]);
      expect((await contents(shared.store, "c_2")).length + (await contents(shared.store, "c")).length).toBe(5);
    } finally {
      await cleanup();
    }
  });

  it("sharing is for a server", async () => {
    try {
      const { laptop } = await setup();
      await save(laptop.local, "x", messages("x"));
      if (engine.name === "sqlite") await expect(pushSessions(laptop.local, laptop.remote, { share: true })).rejects.toThrow(UnsupportedOnEngineError);
      else expect((await pushSessions(laptop.local, laptop.remote, { share: true })).sessions[0]).toMatchObject({ status: "created", shared: true });
    } finally {
      await cleanup();
    }
  });
});

describe("push and pull: bad requests", () => {
  it("a store is not synced with itself", async () => {
    const path = join(tempDir(), "project.db");
    const a = await openSessionStore({ dbPath: path });
    const b = await openSessionStore({ dbPath: path });
    try {
      await expect(pushSessions(a, b)).rejects.toThrow(/same store/);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

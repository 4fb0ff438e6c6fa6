import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSessionStore, sqliteMaintenance } from "@victor/core";
import { findUnmigratedLegacyFiles } from "../src/index.js";
import { cleanup, legacy, migrate, msg, openStore, snapshotTree, tempDir, writeLegacy } from "./helpers.js";

afterEach(cleanup);

function setup() {
  const dir = tempDir();
  const sessions = dir.join("sessions");
  writeLegacy(sessions, "s1.json", legacy("s1"));
  writeLegacy(sessions, "s2.json", legacy("s2"));
  writeLegacy(sessions, "broken.json", "{ nope");
  return { dir, sessions, dbPath: dir.join("db", "project.db") };
}

describe("lossless round trip", () => {
  it("loadSession gives back every field of the file", async () => {
    const { sessions, dbPath } = setup();
    const messages = [
      msg("system", "sys"),
      msg("user", "Ünïcode ✓ and\nnew lines", { images: ["data:image/png;base64,iVBORw0K"] }),
      msg("assistant", "", { tool_calls: [{ id: "a", type: "function", function: { name: "grep", arguments: "{}" } }] }),
      msg("tool", "out", { name: "grep", tool_call_id: "a", weird: null }),
      { role: "assistant", content: "no optional keys" } as never,
    ];
    const file = legacy("full", { conversation_state: { state: { stage: "EXECUTION", tool_history: ["grep"], stage_confidence: 0.5 } }, tool_selection_stats: { grep: 2 }, execution_state: { x: [1, { y: "z" }] } }, messages);
    Object.assign(file.metadata as object, { title: "My title", tags: ["a", "b"], extra_meta: 7 });
    (file.conversation as Record<string, unknown>).preview_messages = [{ role: "assistant", content: "p", metadata: {}, after_message_index: 1 }];
    const path = writeLegacy(sessions, "full.json", file);
    await migrate({ sources: [sessions], dbPath });
    const store = await openStore(dbPath, true);
    const session = (await store.loadSession("full"))!;
    expect(session.conversation).toEqual(file.conversation);
    expect(session.conversation_state).toEqual(file.conversation_state);
    expect(session.tool_selection_stats).toEqual(file.tool_selection_stats);
    expect(session.execution_state).toEqual(file.execution_state);
    expect(session.metadata).toMatchObject({ title: "My title", title_is_custom: true, tags: ["a", "b"], extra_meta: 7, model: "claude-sonnet-4-20250514", profile: "default" });
    expect(session.metadata.legacy).toEqual({ file: path, metadata: file.metadata });
    expect(Object.keys(session.conversation.messages[4]!)).toEqual(["role", "content"]);
  });
});

describe("re-runs", () => {
  it("a second run changes nothing and reports unchanged; failed files stay failed", async () => {
    const { sessions, dbPath } = setup();
    const first = await migrate({ sources: [sessions], dbPath });
    expect(first.report.counts).toMatchObject({ imported: 2, failed: 1 });
    const store = await openStore(dbPath, true);
    const revision = (await store.loadSession("s1"))!.metadata.revision;
    await store.close();
    const second = await migrate({ sources: [sessions], dbPath });
    expect(second.report.counts).toMatchObject({ imported: 0, unchanged: 2, failed: 1, updated: 0 });
    expect(second.report.failed[0]!.reason).toMatch(/^not JSON/);
    expect(second.report.backupPath).toBeNull();
    const again = await openStore(dbPath, true);
    expect((await again.loadSession("s1"))!.metadata.revision).toBe(revision);
    const ledger = await again.ledger.list();
    expect(ledger.map((e) => e.outcome).sort()).toEqual(["failed", "imported", "imported"]);
  });

  it("re-imports a changed file into the same session (updated), and a fixed broken file", async () => {
    const { sessions, dbPath, dir } = setup();
    await migrate({ sources: [sessions], dbPath });
    writeLegacy(sessions, "s1.json", legacy("s1", {}, [msg("user", "changed"), msg("assistant", "yes")]));
    writeLegacy(sessions, "broken.json", legacy("broken"));
    const { report, files } = await migrate({ sources: [sessions], dbPath });
    expect(files.get(join(sessions, "s1.json"))).toMatchObject({ outcome: "updated", sessionId: "s1" });
    expect(files.get(join(sessions, "broken.json"))).toMatchObject({ outcome: "imported", sessionId: "broken" });
    expect(report.counts).toMatchObject({ updated: 1, imported: 1, unchanged: 1, failed: 0 });
    expect(report.backupPath).toMatch(/project\.db\.backup-\d{8}-\d{6}$/);
    const store = await openStore(dbPath, true);
    expect((await store.loadSession("s1"))!.conversation.messages.map((m) => m.content)).toEqual(["changed", "yes"]);
    expect(await store.countSessions()).toBe(3);
    const backup = await openStore(report.backupPath!, true);
    expect(await (await sqliteMaintenance(backup)).integrityCheck()).toBe("ok");
    expect(await backup.countSessions()).toBe(2);
    expect(readdirSync(dir.join("db")).filter((n) => n.includes(".backup-"))).toHaveLength(1);
  });

  it("a file that breaks and is fixed again still updates its own session (no conflict with itself)", async () => {
    const { sessions, dbPath } = setup();
    await migrate({ sources: [sessions], dbPath });
    writeLegacy(sessions, "s1.json", "{ broken now");
    expect((await migrate({ sources: [sessions], dbPath })).files.get(join(sessions, "s1.json"))!.outcome).toBe("failed");
    expect((await migrate({ sources: [sessions], dbPath })).files.get(join(sessions, "s1.json"))!.outcome).toBe("failed");
    writeLegacy(sessions, "s1.json", legacy("s1", {}, [msg("user", "fixed")]));
    const { files } = await migrate({ sources: [sessions], dbPath });
    expect(files.get(join(sessions, "s1.json"))).toMatchObject({ outcome: "updated", sessionId: "s1" });
  });

  it("--no-backup (backup: false) makes no backup", async () => {
    const { sessions, dbPath, dir } = setup();
    await migrate({ sources: [sessions], dbPath });
    writeLegacy(sessions, "s3.json", legacy("s3"));
    const { report } = await migrate({ sources: [sessions], dbPath, backup: false });
    expect(report.counts.imported).toBe(1);
    expect(report.backupPath).toBeNull();
    expect(readdirSync(dir.join("db")).some((n) => n.includes(".backup-"))).toBe(false);
  });
});

describe("conflicts", () => {
  async function withSavedSession() {
    const ctx = setup();
    const store = await openStore(ctx.dbPath);
    await store.saveSession({ sessionId: "s1", conversation: { messages: [{ role: "user", content: "from /save" }] }, model: "m", provider: "p" });
    await store.close();
    return ctx;
  }

  it("skip (default): reports the conflict, keeps the /save session, and reports it again on re-runs", async () => {
    const { sessions, dbPath } = await withSavedSession();
    const { report, files } = await migrate({ sources: [sessions], dbPath });
    expect(files.get(join(sessions, "s1.json"))).toMatchObject({ outcome: "conflict", sessionId: null, requestedId: "s1" });
    expect(report.conflicts).toHaveLength(1);
    const again = await migrate({ sources: [sessions], dbPath });
    expect(again.report.counts).toMatchObject({ conflict: 1, unchanged: 1 });
    const store = await openStore(dbPath, true);
    expect((await store.loadSession("s1"))!.conversation.messages[0]!.content).toBe("from /save");
  });

  it("rename: imports under a new id, and later changes update that id", async () => {
    const { sessions, dbPath } = await withSavedSession();
    const { report } = await migrate({ sources: [sessions], dbPath, onConflict: "rename" });
    expect(report.renamed).toEqual([{ path: join(sessions, "s1.json"), from: "s1", to: "s1_2" }]);
    writeLegacy(sessions, "s1.json", legacy("s1", {}, [msg("user", "edited")]));
    const { files } = await migrate({ sources: [sessions], dbPath, onConflict: "rename" });
    expect(files.get(join(sessions, "s1.json"))).toMatchObject({ outcome: "updated", sessionId: "s1_2" });
    const store = await openStore(dbPath, true);
    expect(await store.countSessions()).toBe(3);
    expect((await store.loadSession("s1"))!.conversation.messages[0]!.content).toBe("from /save");
  });

  it("overwrite: replaces the /save session", async () => {
    const { sessions, dbPath } = await withSavedSession();
    const { report } = await migrate({ sources: [sessions], dbPath, onConflict: "overwrite" });
    expect(report.overwritten).toEqual([{ path: join(sessions, "s1.json"), sessionId: "s1" }]);
    const store = await openStore(dbPath, true);
    expect((await store.loadSession("s1"))!.conversation.messages[1]!.content).toBe("Hello from s1");
  });

  it("the same id in the home and the project folder: the second one conflicts (or is renamed)", async () => {
    const dir = tempDir();
    const home = dir.join("home", ".victor", "sessions");
    const project = dir.join("project", ".victor", "sessions");
    writeLegacy(home, "dup.json", legacy("dup"));
    writeLegacy(project, "dup.json", legacy("dup", {}, [msg("user", "project copy")]));
    const skip = await migrate({ sources: [home, project], dbPath: dir.join("a.db") });
    expect(skip.report.counts).toMatchObject({ imported: 1, conflict: 1 });
    expect(skip.files.get(join(project, "dup.json"))!.outcome).toBe("conflict");
    const rename = await migrate({ sources: [home, project], dbPath: dir.join("b.db"), onConflict: "rename" });
    expect(rename.report.counts).toMatchObject({ imported: 2, renamed: 1 });
    const store = await openStore(dir.join("b.db"), true);
    expect((await store.loadSession("dup_2"))!.conversation.messages[0]!.content).toBe("project copy");
  });
});

describe("dry run", () => {
  it("writes nothing (no DB file or folder) and reports what a real run would do", async () => {
    const { sessions, dbPath, dir } = setup();
    const before = snapshotTree(dir.path);
    const dry = await migrate({ sources: [sessions], dbPath, dryRun: true });
    expect(existsSync(dir.join("db"))).toBe(false);
    expect(snapshotTree(dir.path)).toEqual(before);
    const real = await migrate({ sources: [sessions], dbPath });
    const strip = (r: typeof real.report) => ({ ...r, dryRun: undefined, durationMs: undefined });
    expect(strip(dry.report)).toEqual(strip(real.report));
  });

  it("with an existing DB reads it read-only: sees conflicts and the ledger, changes nothing", async () => {
    const { sessions, dbPath, dir } = setup();
    await migrate({ sources: [sessions], dbPath });
    writeLegacy(sessions, "s1.json", legacy("s1", {}, [msg("user", "changed")]));
    writeLegacy(sessions, "new.json", legacy("new"));
    const store = await openStore(dbPath);
    await store.saveSession({ sessionId: "new", conversation: { messages: [] }, model: "m", provider: "p" });
    await store.close();
    // SQLite itself adds empty -wal/-shm side files when a WAL database is opened read-only.
    const withoutWalFiles = (tree: Record<string, string>) => Object.fromEntries(Object.entries(tree).filter(([p]) => !/-(wal|shm)$/.test(p)));
    const before = withoutWalFiles(snapshotTree(dir.path));
    const { report } = await migrate({ sources: [sessions], dbPath, dryRun: true, onConflict: "rename" });
    expect(report.counts).toMatchObject({ updated: 1, unchanged: 1, imported: 1, renamed: 1, failed: 1 });
    expect(report.renamed[0]).toMatchObject({ from: "new", to: "new_2" });
    expect(withoutWalFiles(snapshotTree(dir.path))).toEqual(before);
  });
});

describe("findUnmigratedLegacyFiles", () => {
  it("compares legacy files to the ledger by path and size, fast", async () => {
    const { sessions, dbPath } = setup();
    expect((await findUnmigratedLegacyFiles({ sources: [sessions], dbPath })).count).toBe(3);
    await migrate({ sources: [sessions], dbPath });
    const t0 = performance.now();
    const none = await findUnmigratedLegacyFiles({ sources: [sessions], dbPath });
    expect(performance.now() - t0).toBeLessThan(200);
    expect(none.count).toBe(0);
    writeFileSync(join(sessions, "s1.json"), JSON.stringify(legacy("s1", { more: "x" }), null, 2));
    writeLegacy(sessions, "s9.json", legacy("s9"));
    const two = await findUnmigratedLegacyFiles({ sources: [sessions], dbPath });
    expect(two.count).toBe(2);
    expect(two.examples.sort()).toEqual([join(sessions, "s1.json"), join(sessions, "s9.json")]);
  });

  it("does not count a file whose session was stored without the migration (a /load then /save)", async () => {
    const { sessions, dbPath } = setup();
    const store = await openSessionStore({ dbPath });
    await store.saveSession({ sessionId: "s2", conversation: { messages: [{ role: "user", content: "loaded and saved" }] }, model: "m", provider: "p" });
    await store.close();
    const result = await findUnmigratedLegacyFiles({ sources: [sessions], dbPath });
    expect(result.count).toBe(2);
    expect(result.examples.map((p) => p.endsWith("s2.json"))).not.toContain(true);
  });
});

describe("an empty database file", () => {
  it("is filled by a real run and simulated by a dry run", async () => {
    const { sessions, dbPath, dir } = setup();
    mkdirSync(dir.join("db"));
    writeFileSync(dbPath, "");
    const dry = await migrate({ sources: [sessions], dbPath, dryRun: true });
    expect(dry.report.counts).toMatchObject({ imported: 2, failed: 1 });
    const real = await migrate({ sources: [sessions], dbPath });
    expect(real.report.counts).toEqual(dry.report.counts);
  });
});

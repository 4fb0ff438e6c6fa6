import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadLegacySessionFile, type MigrationCounts } from "../src/index.js";
import { cleanup, legacy, migrate, msg, openStore, REPO_ROOT, tempDir, writeLegacy } from "./helpers.js";

afterEach(cleanup);

/** A migrated file whose session was then continued in a chat (saved with more messages). */
async function continuedAfterImport() {
  const dir = tempDir();
  const sessions = dir.join("sessions");
  const dbPath = dir.join("project.db");
  const path = writeLegacy(sessions, "s1.json", legacy("s1"));
  await migrate({ sources: [sessions], dbPath });
  const store = await openStore(dbPath);
  const session = (await store.loadSession("s1"))!;
  const continued = [...session.conversation.messages, msg("user", "continued in SQLite"), msg("assistant", "and saved")];
  await store.saveSession({ sessionId: "s1", conversation: { ...session.conversation, messages: continued }, model: "m", provider: "p", expectedRevision: session.metadata.revision });
  await store.close();
  return { dir, sessions, dbPath, path, continued };
}

describe("a re-run never overwrites work saved since the import", () => {
  it("a changed file comes in beside the continued session (a fork, reported as a conflict); the saved messages stay", async () => {
    const { sessions, dbPath, path, continued } = await continuedAfterImport();
    writeLegacy(sessions, "s1.json", legacy("s1", {}, [msg("user", "the Python Victor saved the file again"), msg("assistant", "with other messages")]));
    const { report, files } = await migrate({ sources: [sessions], dbPath });
    expect(files.get(path)).toMatchObject({ outcome: "conflict", sessionId: "s1_2", existingSessionId: "s1" });
    expect(report.conflicts).toEqual([{ path, sessionId: "s1", storedAs: "s1_2", reason: expect.stringMatching(/imported beside it as s1_2 \(nothing was overwritten\)/) }]);
    expect(report.counts.updated).toBe(0);
    const store = await openStore(dbPath, true);
    expect((await store.loadSession("s1"))!.conversation.messages).toEqual(continued);
    const fork = (await store.loadSession("s1_2"))!;
    expect(fork.metadata.parent_id).toBe("s1");
    expect(fork.conversation.messages[0]!.content).toBe("the Python Victor saved the file again");
    expect(await store.ledger.get(path)).toMatchObject({ sessionId: "s1_2", outcome: "forked", revision: 1 });
    await store.close();

    // The file's line goes on in its fork: a further change updates it, and s1 is still untouched.
    writeLegacy(sessions, "s1.json", legacy("s1", {}, [msg("user", "third version")]));
    const third = await migrate({ sources: [sessions], dbPath });
    expect(third.files.get(path)).toMatchObject({ outcome: "updated", sessionId: "s1_2" });
    const after = await openStore(dbPath, true);
    expect((await after.loadSession("s1"))!.conversation.messages).toEqual(continued);
    expect((await after.loadSession("s1_2"))!.conversation.messages[0]!.content).toBe("third version");
  });

  it("a file whose changes the saved session already holds is not imported again", async () => {
    const { sessions, dbPath, path, continued } = await continuedAfterImport();
    // The file now holds the first message of what was saved: nothing in it is missing from s1.
    writeLegacy(sessions, "s1.json", legacy("s1", {}, continued.slice(0, 1) as never));
    const { files } = await migrate({ sources: [sessions], dbPath });
    expect(files.get(path)).toMatchObject({ outcome: "unchanged", sessionId: "s1" });
    const store = await openStore(dbPath, true);
    expect(await store.countSessions()).toBe(1);
  });

  it("only an explicit --on-conflict overwrite replaces it", async () => {
    const { sessions, dbPath, path } = await continuedAfterImport();
    writeLegacy(sessions, "s1.json", legacy("s1", {}, [msg("user", "replace it")]));
    const { files } = await migrate({ sources: [sessions], dbPath, onConflict: "overwrite" });
    expect(files.get(path)).toMatchObject({ outcome: "updated", sessionId: "s1" });
    const store = await openStore(dbPath, true);
    expect((await store.loadSession("s1"))!.conversation.messages.map((m) => m.content)).toEqual(["replace it"]);
  });
});

describe("a session brought in by hand (/load ID, then /save) and continued", () => {
  async function loadedAndContinued() {
    const dir = tempDir();
    const sessions = dir.join("sessions");
    const dbPath = dir.join("project.db");
    const path = writeLegacy(sessions, "20251215_145334.json", legacy("20251215_145334", {}, [msg("user", "q1"), msg("assistant", "a1")]));
    // What /load then /save do: the file's save input, created under its id, then continued.
    const loaded = await loadLegacySessionFile(path);
    if (!loaded.ok) throw new Error(loaded.reason);
    const store = await openStore(dbPath);
    const first = await store.saveSession({ ...loaded.input, createOnly: true });
    const messages = [...loaded.input.conversation.messages, msg("user", "q2"), msg("assistant", "a2")];
    await store.saveSession({ sessionId: first.sessionId, conversation: { ...loaded.input.conversation, messages }, model: "m", provider: "p", expectedRevision: first.revision });
    await store.close();
    return { sessions, dbPath, path, messages };
  }

  it("is recognised as coming from that file: nothing imported, no conflict, no advice to overwrite it", async () => {
    const { sessions, dbPath, path, messages } = await loadedAndContinued();
    const { report, files } = await migrate({ sources: [sessions], dbPath });
    expect(files.get(path)).toMatchObject({ outcome: "unchanged", sessionId: "20251215_145334" });
    expect(files.get(path)!.notes.join()).toMatch(/opened from it \(\/load\) and saved/);
    expect(report.conflicts).toEqual([]);
    expect(JSON.stringify(report)).not.toContain("overwrite");
    const store = await openStore(dbPath, true);
    expect((await store.loadSession("20251215_145334"))!.conversation.messages).toEqual(messages);
    await store.close();
    expect((await migrate({ sources: [sessions], dbPath })).files.get(path)!.outcome).toBe("unchanged");
  });

  it("when the file changed since, its version comes in beside the session, never over it", async () => {
    const { sessions, dbPath, path, messages } = await loadedAndContinued();
    writeLegacy(sessions, "20251215_145334.json", legacy("20251215_145334", {}, [msg("user", "q1"), msg("assistant", "a different a1")]));
    const { report, files } = await migrate({ sources: [sessions], dbPath });
    expect(files.get(path)).toMatchObject({ outcome: "conflict", sessionId: "20251215_145334_2" });
    expect(report.conflicts[0]!.reason).toMatch(/opened from here \(\/load\) and saved/);
    expect(JSON.stringify(report)).not.toContain("overwrite");
    const store = await openStore(dbPath, true);
    expect((await store.loadSession("20251215_145334"))!.conversation.messages).toEqual(messages);
  });
});

describe("two runs at once over the same folder", () => {
  it("agree on every file: each imported once, none a conflict, and the next run changes nothing", async () => {
    const dir = tempDir();
    const sessions = dir.join("sessions");
    const files = 400;
    for (let i = 0; i < files; i++) writeLegacy(sessions, `c${i}.json`, legacy(`c${i}`));
    const dbPath = dir.join("project.db");
    const lib = join(REPO_ROOT, "packages", "migrate", "dist", "index.js");
    const script = dir.join("run.mjs");
    writeFileSync(
      script,
      `import { migrateLegacySessions } from ${JSON.stringify(lib)};
const r = await migrateLegacySessions({ sources: [${JSON.stringify(sessions)}], dbPath: ${JSON.stringify(dbPath)}, batchSize: 20 });
process.stdout.write(JSON.stringify(r.counts));`,
    );
    const run = () =>
      new Promise<MigrationCounts>((resolve, reject) => {
        const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
        let out = "";
        child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
        child.on("error", reject).on("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as MigrationCounts) : reject(new Error(`exit ${code}`))));
      });
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.conflict + b.conflict).toBe(0);
    expect(a.imported + b.imported).toBe(files);
    expect(a.unchanged + b.unchanged).toBe(files);
    const store = await openStore(dbPath, true);
    expect(await store.countSessions()).toBe(files);
    const ledger = await store.ledger.list();
    expect(ledger.filter((e) => e.outcome === "imported" && e.sessionId !== null)).toHaveLength(files);
    await store.close();
    expect((await migrate({ sources: [sessions], dbPath })).report.counts).toMatchObject({ unchanged: files, conflict: 0, imported: 0 });
  });
});

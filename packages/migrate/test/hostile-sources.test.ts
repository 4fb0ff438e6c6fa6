import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { reportToJson } from "../src/index.js";
import { cleanup, legacy, migrate, openStore, tempDir, writeLegacy } from "./helpers.js";

afterEach(cleanup);

const SECRET = "root:$6$SECRET-HASH-7f3a:19000:0:99999:7:::";

describe("hostile or odd entries in a source folder", () => {
  it("a value nested 100,000 deep fails that file, with its path and reason; the run goes on", async () => {
    const dir = tempDir();
    const sessions = dir.join("sessions");
    for (let i = 0; i < 27; i++) writeLegacy(sessions, `ok${i}.json`, legacy(`ok${i}`));
    const depth = 100_000;
    const deep = `{"conversation": {"messages": [{"role": "user", "content": ${"[".repeat(depth)}${"]".repeat(depth)}}]}}`;
    const path = writeLegacy(sessions, "deep.json", deep);
    for (const dryRun of [true, false]) {
      const { report, files } = await migrate({ sources: [sessions], dbPath: dir.join("project.db"), dryRun });
      expect(report.counts).toMatchObject({ imported: 27, failed: 1 });
      expect(files.get(path)).toMatchObject({ outcome: "failed", reason: expect.stringMatching(/nested too deeply/) });
    }
    const store = await openStore(dir.join("project.db"), true);
    expect(await store.ledger.get(path)).toMatchObject({ outcome: "failed", reason: expect.stringMatching(/nested too deeply/) });
  });

  it("never reads through a symlink out of the folder, and never echoes a file's content", async () => {
    const dir = tempDir();
    const sessions = dir.join("sessions");
    writeLegacy(sessions, "good.json", legacy("good"));
    const secret = dir.join("shadow");
    writeFileSync(secret, SECRET);
    symlinkSync(secret, join(sessions, "shadow.json"));
    symlinkSync(join(sessions, "good.json"), join(sessions, "alias.json"));
    writeFileSync(join(sessions, "notes.json"), SECRET);
    const { report, files } = await migrate({ sources: [sessions], dbPath: dir.join("project.db") });
    expect(files.get(join(sessions, "shadow.json"))).toMatchObject({ outcome: "skipped", reason: "a symbolic link to a file outside the source folder (not followed)" });
    expect(files.get(join(sessions, "alias.json"))).toMatchObject({ outcome: "imported", sessionId: "alias" });
    expect(files.get(join(sessions, "notes.json"))).toMatchObject({ outcome: "failed", reason: "not JSON: unexpected character" });
    expect(JSON.stringify(reportToJson(report))).not.toContain("SECRET");
    const store = await openStore(dir.join("project.db"), true);
    expect(JSON.stringify(await store.ledger.list())).not.toContain("SECRET");
  });

  it("folders, FIFOs, symlink loops and dangling links are skipped and counted, never read", async () => {
    const dir = tempDir();
    const sessions = dir.join("sessions");
    writeLegacy(sessions, "good.json", legacy("good"));
    mkdirSync(join(sessions, "subfolder.json"));
    execFileSync("mkfifo", [join(sessions, "pipe.json")]);
    symlinkSync(join(sessions, "loop-b.json"), join(sessions, "loop-a.json"));
    symlinkSync(join(sessions, "loop-a.json"), join(sessions, "loop-b.json"));
    symlinkSync(join(sessions, "gone.json"), join(sessions, "dangling.json"));
    const { report, files } = await migrate({ sources: [sessions], dbPath: dir.join("project.db") });
    expect(report.counts).toMatchObject({ imported: 1, skipped: 5, total: 6 });
    expect(files.get(join(sessions, "subfolder.json"))!.reason).toMatch(/folder/);
    expect(files.get(join(sessions, "pipe.json"))!.reason).toMatch(/FIFO/);
    expect(files.get(join(sessions, "loop-a.json"))!.reason).toBe("a symbolic link loop");
    expect(files.get(join(sessions, "dangling.json"))!.reason).toBe("a broken symbolic link");
    expect(report.skipped).toHaveLength(5);
  });
});

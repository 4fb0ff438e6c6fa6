import { migrateLegacySessions } from "@victor/migrate";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { basename, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { chatRig, type ChatRig } from "../chat/harness.js";
import { LEGACY_SAMPLE, makeProject, REPO_ROOT, withStore, type Project } from "./helpers.js";

const STORE_DB = join(REPO_ROOT, "packages/migrate/test/fixtures/python-victor/conversation-store-head.db");
const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

let project: Project | undefined;
let rig: ChatRig | undefined;
afterEach(async () => {
  project?.remove();
  project = undefined;
  await rig?.cleanup();
  rig = undefined;
});

function pythonProject(): Project {
  const p = makeProject();
  mkdirSync(p.dir.join(".victor"));
  copyFileSync(STORE_DB, p.dbPath);
  return p;
}

describe("a project whose .victor/project.db the Python Victor wrote", () => {
  it("every sessions command says in one line what it found and how to upgrade; nothing is changed", async () => {
    project = pythonProject();
    const before = sha(project.dbPath);
    const runs: [string[], "in-process" | "binary"][] = [
      [["sessions", "list", "--json"], "in-process"],
      [["sessions", "show", "myproj-9Kx7Z2"], "in-process"],
      [["sessions", "search", "CI"], "in-process"],
      [["sessions", "stats"], "in-process"],
      // The real process too: one line on stderr, no stack trace, exit 1.
      [["sessions", "list"], "binary"],
    ];
    for (const [args, how] of runs) {
      const r = how === "binary" ? await project.runBin(args) : await project.run(args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.stderr).toContain("was written by the Python Victor: 6 sessions (the ConversationStore schema)");
      expect(r.stderr).toContain("Run victor-migrate");
    }
    expect(sha(project.dbPath)).toBe(before);
  });

  it("victor chat starts, keeps what is typed, and /save works as soon as victor-migrate has run elsewhere", async () => {
    rig = await chatRig();
    const work = rig.project.join("work");
    mkdirSync(join(work, ".victor"));
    const dbPath = join(work, ".victor", "project.db");
    copyFileSync(STORE_DB, dbPath);
    mkdirSync(join(work, ".victor", "sessions"));
    copyFileSync(LEGACY_SAMPLE, join(work, ".victor", "sessions", basename(LEGACY_SAMPLE)));
    rig.anthropic.script({ text: "Noted." });
    const chat = rig.interactive();
    await chat.waitFor(/written by the Python Victor: 6 sessions.*victor-migrate/);
    await chat.waitFor(/Found 1 legacy JSON session not yet in the database/);
    chat.send("remember the deploy checklist");
    await chat.waitFor(/Noted\./);
    chat.send("/save Checklist");
    await chat.waitFor(/Not saved yet: .* is still the Python Victor's database\. Run victor-migrate/);
    // Another terminal upgrades the database meanwhile.
    const report = await migrateLegacySessions({ cwd: work, env: { HOME: rig.home }, timeZone: "America/Chicago" });
    expect(report.python?.done).toBe(true);
    expect(report.counts).toMatchObject({ imported: 7, failed: 0 });
    chat.send("/save Checklist");
    await chat.waitFor(/Session Saved/);
    const result = await chat.end();
    expect(result.code).toBe(0);
    const id = /ID:\s+(\S+)/.exec(result.stdout)![1]!;
    await withStore(dbPath, async (store) => {
      expect((await store.loadSession(id))!.conversation.messages.map((m) => m.content)).toEqual(["remember the deploy checklist", "Noted."]);
      expect(await store.countSessions()).toBe(8);
    });
  });

  it("sessions restore puts the pre-upgrade backup back (asking first), and the commands say so again", async () => {
    project = pythonProject();
    const report = await migrateLegacySessions({ cwd: project.dir.path, env: { HOME: project.home.path } });
    expect((await project.run(["sessions", "list", "--json"])).code).toBe(0);
    const noTty = await project.run(["sessions", "restore", report.backupPath!]);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toMatch(/Pass --yes/);
    const restored = await project.run(["sessions", "restore", report.backupPath!, "--yes"]);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/The database as it was is in .*project\.db\.backup-/);
    expect(restored.stdout).toMatch(/It is the Python Victor's database again: 6 sessions/);
    const list = await project.run(["sessions", "list"]);
    expect(list.code).toBe(1);
    expect(list.stderr).toContain("was written by the Python Victor");
  });
});

describe("sessions backup", () => {
  it("keeps the newest --keep N and says how to restore", async () => {
    project = makeProject();
    await withStore(project.dbPath, (store) => store.saveSession({ sessionId: "b1", conversation: { messages: [{ role: "user", content: "hi" }] }, model: "m", provider: "p" }));
    let last = "";
    for (let i = 0; i < 3; i++) {
      const r = await project.run(["sessions", "backup", "--keep", "2"]);
      expect(r.code).toBe(0);
      last = r.stdout;
    }
    expect(last).toMatch(/verified: integrity_check and the row count of every table/);
    expect(last).toMatch(/Removed 1 older or partial backup file/);
    expect(last).toMatch(/Restore it with: victor sessions restore .*project\.db\.backup-/);
  });
});

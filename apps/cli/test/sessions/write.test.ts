import Database from "better-sqlite3";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import type { Session } from "@victor/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LEGACY_SAMPLE, makeProject, seed, withStore, type Project } from "./helpers.js";

let p: Project;
beforeEach(async () => {
  p = makeProject();
  await seed(p.dbPath, [
    { id: "20250107_153045", text: "Refactor the authentication module", title: "Auth refactor" },
    { id: "20250107_160000", text: "Set up the CI/CD pipeline" },
    { id: "20250212_080000", text: "Unicode ☃ naïve 日本語 🚀", extra: [{ role: "user", content: [{ type: "text", text: "parts" }], images: ["data:image/png;base64,AA=="] }] },
  ]);
});
afterEach(() => p.remove());

const ids = (dbPath: string) => withStore(dbPath, async (s) => (await s.listSessions({ limit: -1 })).map((x) => x.id).sort());

describe("delete", () => {
  it("refuses without --yes when stdin is not a TTY (exit 2) and deletes nothing", async () => {
    const r = await p.run(["sessions", "delete", "20250107_153045"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--yes");
    expect(await ids(p.dbPath)).toContain("20250107_153045");
  });

  it("deletes by unique prefix with --yes; unknown id is exit 1; ambiguous prefix deletes nothing", async () => {
    const amb = await p.run(["sessions", "delete", "20250107", "--yes"]);
    expect(amb.code).toBe(1);
    expect(amb.stderr).toContain("matches 2 sessions");
    const r = await p.run(["sessions", "delete", "20250107_15", "--yes"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Deleted session 20250107_153045");
    expect(await ids(p.dbPath)).toEqual(["20250107_160000", "20250212_080000"]);
    const again = await p.run(["sessions", "rm", "20250107_153045", "-y"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("Session not found: 20250107_153045");
  });
});

describe("clear", () => {
  it("needs a prefix of at least 6 characters or --all (usage errors, exit 2)", async () => {
    for (const args of [[], ["2025"], ["202501", "--all"], ["bad/prefix!"]]) {
      const r = await p.run(["sessions", "clear", ...args, "--yes"]);
      expect(r.code, args.join(" ")).toBe(2);
    }
    const noYes = await p.run(["sessions", "clear", "202501"]);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toContain("--yes");
    expect(await ids(p.dbPath)).toHaveLength(3);
  });

  it("clears a prefix, reporting found and cleared; then --all", async () => {
    const r = await p.run(["sessions", "clear", "202501", "--yes"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Found 2 sessions");
    expect(r.stdout).toContain("cleared 2");
    expect(await ids(p.dbPath)).toEqual(["20250212_080000"]);
    const all = await p.run(["sessions", "clear", "--all", "--yes"]);
    expect(all.stdout).toContain("Found 1 session ");
    expect(await ids(p.dbPath)).toEqual([]);
  });
});

describe("export and import", () => {
  it("round trip into a fresh database gives the same envelopes (revision and updated_at aside)", async () => {
    const exp = await p.run(["sessions", "export", "--output", "backup.json"]);
    expect(exp.code).toBe(0);
    expect(exp.stdout).toContain("Exported 3 sessions");
    const text = readFileSync(p.dir.join("backup.json"), "utf8");
    expect(text).toContain("日本語 🚀"); // UTF-8, not \u-escaped
    const original = JSON.parse(text) as Session[];
    expect(original).toHaveLength(3);

    const fresh = p.dir.join("fresh.db");
    const imp = await p.run(["sessions", "import", "backup.json", "--db", fresh]);
    expect(imp.code).toBe(0);
    expect(imp.stdout).toContain("Imported 3 sessions");
    const again = JSON.parse((await p.run(["sessions", "export", "--no-pretty", "--db", fresh])).stdout) as Session[];
    const strip = (s: Session) => ({ ...s, metadata: { ...s.metadata, revision: 0, updated_at: "" } });
    expect(again.map(strip)).toEqual(original.map(strip));
  });

  it("export to stdout is the JSON array; --no-pretty is one line", async () => {
    const pretty = await p.run(["sessions", "export"]);
    expect(pretty.stdout.startsWith("[\n  {")).toBe(true);
    const compact = await p.run(["sessions", "export", "--no-pretty"]);
    expect(compact.stdout.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(compact.stdout)).toEqual(JSON.parse(pretty.stdout));
    const one = JSON.parse((await p.run(["sessions", "export", "20250212"])).stdout) as Session[];
    expect(one.map((s) => s.metadata.session_id)).toEqual(["20250212_080000"]);
  });

  it("conflicts: skip (default), rename, overwrite", async () => {
    await p.run(["sessions", "export", "-o", "b.json"]);
    const skip = await p.run(["sessions", "import", "b.json", "--json"]);
    expect(JSON.parse(skip.stdout)).toMatchObject({ imported: 0, skipped: 3 });
    const rename = await p.run(["sessions", "import", "b.json", "--on-conflict", "rename"]);
    expect(rename.code).toBe(0);
    expect(rename.stdout).toContain("3 renamed");
    expect(await ids(p.dbPath)).toHaveLength(6);
    const over = await p.run(["sessions", "import", "b.json", "--on-conflict", "overwrite", "--json"]);
    expect(JSON.parse(over.stdout)).toMatchObject({ imported: 3, overwritten: 3 });
    const bad = await p.run(["sessions", "import", "b.json", "--on-conflict", "merge"]);
    expect(bad.code).toBe(2);
  });

  it("a bad file is one clear error and imports nothing", async () => {
    const good = JSON.parse((await p.run(["sessions", "export", "20250107_15"])).stdout) as Session[];
    const target = p.dir.join("fresh.db");
    const broken = [{ ...good[0]!, metadata: { ...good[0]!.metadata, session_id: "20990101_000000" } }, { metadata: {}, conversation: {} }];
    writeFileSync(p.dir.join("broken.json"), JSON.stringify(broken));
    const r = await p.run(["sessions", "import", "broken.json", "--db", target]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("session 2 of broken.json");
    expect(r.stderr).toContain("nothing was imported");
    expect(existsSync(target)).toBe(false);
    writeFileSync(p.dir.join("notjson.json"), "{ nope");
    const nj = await p.run(["sessions", "import", "notjson.json"]);
    expect(nj.code).not.toBe(0);
    expect(nj.stderr).toContain("not valid JSON");
    const missing = await p.run(["sessions", "import", "missing.json"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("File not found");
    expect(await ids(p.dbPath)).toHaveLength(3);
  });

  it("imports a single envelope, e.g. a legacy sample file", async () => {
    const r = await p.run(["sessions", "import", LEGACY_SAMPLE]);
    expect(r.code).toBe(0);
    const show = JSON.parse((await p.run(["sessions", "show", "20251215_145334", "--json"])).stdout) as Session;
    expect(show.metadata.title).toBe("Refactoring Authentication");
    expect(show.conversation.messages).toHaveLength(15);
  });
});

describe("rename, fork and database selection", () => {
  it("rename sets the title (words joined); unknown id is exit 1", async () => {
    const r = await p.run(["sessions", "rename", "20250107_16", "Pipeline", "work"]);
    expect(r.code).toBe(0);
    const s = await withStore(p.dbPath, (st) => st.getSummary("20250107_160000"));
    expect(s.title).toBe("Pipeline work");
    const missing = await p.run(["sessions", "rename", "19990101", "x"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Session not found: 19990101");
  });

  it("fork copies a session under a new id with its parent", async () => {
    const r = await p.run(["sessions", "fork", "20250107_153045", "--title", "Auth take two", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { session_id: string; parent_id: string; title: string; message_count: number };
    expect(out).toMatchObject({ parent_id: "20250107_153045", title: "Auth take two", message_count: 2 });
    const env = await withStore(p.dbPath, (st) => st.getSession(out.session_id));
    expect(env.metadata.parent_id).toBe("20250107_153045");
    expect(env.conversation.messages).toHaveLength(2);
  });

  it("--db and VICTOR_DB_PATH choose the database (--db wins)", async () => {
    const other = p.dir.join("other.db");
    await seed(other, [{ id: "20300101_000000", text: "other db" }]);
    const viaEnv = JSON.parse((await p.run(["sessions", "list", "--json"], { env: { VICTOR_DB_PATH: other } })).stdout) as { session_id: string }[];
    expect(viaEnv.map((s) => s.session_id)).toEqual(["20300101_000000"]);
    const viaFlag = JSON.parse((await p.run(["sessions", "list", "--json", "--db", p.dbPath], { env: { VICTOR_DB_PATH: other } })).stdout) as unknown[];
    expect(viaFlag).toHaveLength(3);
    const path = await p.run(["sessions", "path"], { env: { VICTOR_DB_PATH: other } });
    expect(path.stdout.trim()).toBe(other);
  });
});

describe("backup", () => {
  it("writes a verified, private copy with every session; refuses to overwrite or a missing folder, naming the backup path; no database is exit 1", async () => {
    const dest = p.dir.join("copy.db");
    const r = await p.run(["sessions", "backup", dest]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`to ${dest} (verified`);
    expect(statSync(dest).mode & 0o777).toBe(0o600);
    expect(await ids(dest)).toEqual(await ids(p.dbPath));
    const again = await p.run(["sessions", "backup", dest]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`Cannot write the backup to ${dest}: a file is already there`);
    // A folder that does not exist is the backup path's fault, not the database's.
    const nowhere = p.dir.join("no-such-folder", "copy.db");
    const missingFolder = await p.run(["sessions", "backup", nowhere]);
    expect([missingFolder.code, missingFolder.stderr]).toEqual([1, expect.stringContaining(`Cannot write the backup to ${nowhere}: its folder does not exist`)]);
    const none = await p.run(["sessions", "backup", "--db", p.dir.join("missing.db")]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/nothing to back up/);
    expect(existsSync(p.dir.join("missing.db"))).toBe(false);
  });
});

describe("reindex", () => {
  it("makes messages added by hand searchable", async () => {
    const db = new Database(p.dbPath);
    db.prepare(`INSERT INTO messages (session_id, position, role, content) VALUES ('20250107_160000', 9, 'user', 'zeppelin by hand')`).run();
    db.close();
    expect((await p.run(["sessions", "search", "zeppelin", "--json"])).stdout.trim()).toBe("[]");
    const r = await p.run(["sessions", "reindex"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Search index rebuilt: \d+ messages indexed/);
    const found = JSON.parse((await p.run(["sessions", "search", "zeppelin", "--json"])).stdout) as { session_id: string }[];
    expect(found.map((s) => s.session_id)).toEqual(["20250107_160000"]);
  });
});

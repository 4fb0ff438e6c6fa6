import { openSessionStore } from "@victor/core";
import { createPgTestDatabase, pgTestUrl, type PgTestDatabase } from "@victor/test-utils";
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { cleanup, EXAMPLE_PROJECT_SESSIONS, tempDir } from "./helpers.js";

const pgUrl = pgTestUrl();

function capture(): Writable & { text: string } {
  const sink = Object.assign(new Writable({ write: (chunk: Buffer, _encoding, done) => ((sink.text += chunk.toString()), done()) }), { text: "" });
  return sink;
}

/** victor-migrate straight into a PostgreSQL server (--db postgres://…), in-process. */
describe.skipIf(pgUrl === null)("victor-migrate on a PostgreSQL server", () => {
  let db: PgTestDatabase;
  let url: string;
  beforeAll(async () => {
    db = await createPgTestDatabase(pgUrl!);
    // The server's owner sets the schema up once; a person then gets a role of their own.
    await (await openSessionStore({ url: db.url, project: "setup" })).close();
    url = (await db.createLoginRole("carol", ["victor_writer"])).url;
  });
  afterAll(async () => {
    cleanup();
    await db?.drop();
  });

  it("imports legacy files into this project's sessions on the server, re-runs as a no-op, and never prints the password", async () => {
    const dir = tempDir();
    const home = dir.join("home");
    const project = dir.join("project");
    const sessions = join(project, ".victor", "sessions");
    mkdirSync(sessions, { recursive: true });
    mkdirSync(home);
    for (const name of readdirSync(EXAMPLE_PROJECT_SESSIONS)) copyFileSync(join(EXAMPLE_PROJECT_SESSIONS, name), join(sessions, name));
    const run = async (args: string[]) => {
      const [stdout, stderr] = [capture(), capture()];
      const code = await main(args, { stdout, stderr, env: { HOME: home }, cwd: project });
      return { code, stdout: stdout.text, stderr: stderr.text };
    };
    const password = decodeURIComponent(new URL(url).password);

    const noProject = await run(["--db", url]);
    expect(noProject.code).toBe(2);
    expect(noProject.stderr).toContain("Name it with --project NAME");
    const dry = await run(["--db", url, "--project", "legacy-notes", "--dry-run", "--json"]);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dry_run: true, db_path: url.replace(`:${encodeURIComponent(password)}`, "") });
    const first = await run(["--db", url, "--project", "legacy-notes", "--json"]);
    const report = JSON.parse(first.stdout);
    expect(report.counts).toMatchObject({ imported: JSON.parse(dry.stdout).counts.imported, failed: JSON.parse(dry.stdout).counts.failed });
    expect(report.counts.imported).toBeGreaterThan(0);
    expect(report.backup_path ?? null).toBeNull();
    const again = JSON.parse((await run(["--db", url, "--project", "legacy-notes", "--json"])).stdout);
    expect(again.counts).toMatchObject({ imported: 0, unchanged: report.counts.imported + report.counts.recovered });
    const store = await openSessionStore({ url, project: "legacy-notes" });
    try {
      expect(await store.countSessions()).toBe(report.counts.imported + report.counts.recovered);
    } finally {
      await store.close();
    }
    const human = await run(["--db", url, "--project", "legacy-notes"]);
    for (const output of [noProject, dry, first, human]) expect(`${output.stdout}${output.stderr}`).not.toContain(password);
  });
});

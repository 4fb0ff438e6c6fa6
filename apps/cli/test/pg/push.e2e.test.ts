import { openSessionStore, type ImportItem } from "@victor/core";
import { runNode, type PgTestDatabase } from "@victor/test-utils";
import { spawn } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { VICTOR_BIN } from "../sessions/helpers.js";
import { describePg, messages, pgDatabase, pgProject, type PgProject } from "./helpers.js";

/**
 * The built binary, where the process boundary is the point: a push killed with SIGKILL in the
 * middle (no clean-up of any kind runs) is finished by the next push, nothing lost or twice.
 */

const SESSIONS = 1_200;
const PER_SESSION = 6;
const KEY = "github.com/acme/killed";

describePg("victor sessions push, killed and resumed (built binary)", () => {
  let db: PgTestDatabase;
  let project: PgProject;
  let server: pg.Client;
  const counts = async () =>
    (
      await server.query<{ sessions: number; messages: number }>(
        `SELECT (SELECT count(*)::int FROM victor.sessions WHERE project = $1) AS sessions, (SELECT count(*)::int FROM victor.messages WHERE project = $1) AS messages`,
        [KEY],
      )
    ).rows[0]!;

  beforeAll(async () => {
    db = await pgDatabase();
    project = pgProject("git@github.com:acme/killed.git", { VICTOR_REMOTE_URL: db.url });
    server = new pg.Client({ connectionString: db.url });
    await server.connect();
    const store = await openSessionStore({ dbPath: project.dir.join(".victor", "project.db") });
    try {
      for (let batch = 0; batch < SESSIONS / 400; batch++) {
        const items: ImportItem[] = Array.from({ length: 400 }, (_, i) => {
          const n = batch * 400 + i;
          return { onConflict: "skip", input: { sessionId: `s${String(n).padStart(5, "0")}`, conversation: { messages: messages(...Array.from({ length: PER_SESSION }, (_, k) => `session ${n} message ${k}`)) }, model: "m", provider: "p" } };
        });
        await store.importSessions(items);
      }
    } finally {
      await store.close();
    }
  });

  afterAll(async () => {
    await server?.end();
    project?.remove();
    await db?.drop();
  });

  it("SIGKILL half way, then push again: every session exactly once, every message; a third push sends nothing", async () => {
    const child = spawn(process.execPath, [VICTOR_BIN, "sessions", "push"], { cwd: project.dir.path, env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...project.env }, stdio: "ignore" });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    let atKill = { sessions: 0, messages: 0 };
    for (let waited = 0; waited < 30_000 && atKill.sessions === 0; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      atKill = await counts();
    }
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    const partial = await counts();
    // Killed between batches or inside one (rolled back): some sessions there, not all, each one whole.
    expect(partial.sessions).toBeGreaterThan(0);
    expect(partial.sessions).toBeLessThan(SESSIONS);
    expect(partial.messages).toBe(partial.sessions * PER_SESSION);

    const resumed = await runNode(VICTOR_BIN, ["sessions", "push", "--json"], { cwd: project.dir.path, env: project.env, timeoutMs: 120_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    const report = JSON.parse(resumed.stdout);
    expect(report.counts).toMatchObject({ created: SESSIONS - partial.sessions, unchanged: partial.sessions, renamed: 0, forked: 0, failed: 0 });
    expect(await counts()).toEqual({ sessions: SESSIONS, messages: SESSIONS * PER_SESSION });
    const ids = (await server.query<{ id: string }>(`SELECT id FROM victor.sessions WHERE project = $1 ORDER BY id`, [KEY])).rows.map((r) => r.id);
    expect(ids).toEqual(Array.from({ length: SESSIONS }, (_, n) => `s${String(n).padStart(5, "0")}`));

    const again = await runNode(VICTOR_BIN, ["sessions", "push", "--json"], { cwd: project.dir.path, env: project.env, timeoutMs: 60_000 });
    expect(JSON.parse(again.stdout)).toMatchObject({ sessions_sent: 0, messages_sent: 0, counts: { unchanged: SESSIONS } });
  });
});

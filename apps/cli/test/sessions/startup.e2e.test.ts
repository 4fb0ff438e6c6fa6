import { runNode } from "@victor/test-utils";
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VICTOR_BIN, makeProject, seed, type Project } from "./helpers.js";

// Loads `victor sessions list` with a module hook that logs every file it imports, so the test sees
// the real import graph of the command (the LLM SDK must never be part of it: start-up time).
describe("victor sessions start-up", () => {
  let p: Project;
  beforeAll(async () => {
    p = makeProject();
    await seed(p.dbPath, [{ id: "20250107_153045", text: "hello" }]);
    const hook = `import { register } from "node:module";
register("data:text/javascript," + encodeURIComponent(\`export async function load(url, ctx, next) { if (url.startsWith("file:")) process.stderr.write("LOADED " + url + "\\\\n"); return next(url, ctx); }\`));
`;
    writeFileSync(p.dir.join("hook.mjs"), hook);
  });
  afterAll(() => p.remove());

  it("does not import the LLM SDK (ai, @ai-sdk/*) or the chat REPL", async () => {
    const r = await runNode(p.dir.join("hook.mjs"), [], { cwd: p.dir.path }); // the hook file itself must load
    expect(r.code).toBe(0);
    const run = await runNode(VICTOR_BIN, ["sessions", "list", "--json"], {
      cwd: p.dir.path,
      env: { HOME: p.home.path, NODE_OPTIONS: `--import=${p.dir.join("hook.mjs")}` },
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveLength(1);
    const loaded = run.stderr.split("\n").filter((l) => l.startsWith("LOADED "));
    expect(loaded.length).toBeGreaterThan(10);
    expect(loaded.some((l) => l.includes("/dist/commands/sessions/list.js"))).toBe(true);
    const offending = loaded.filter((l) => /\/(ai@|@ai-sdk\+|@ai-sdk\/)|\/node_modules\/ai\/|\/dist\/(repl|slash|providers)\//.test(l));
    expect(offending).toEqual([]);
  });
});

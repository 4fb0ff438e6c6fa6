import { displayWidth } from "@victor/terminal";
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
    await seed(p.dbPath, [{ id: "20250107_153045", text: "hello", title: "日本語 🚀 and é" }]);
    const hook = `import { register } from "node:module";
register("data:text/javascript," + encodeURIComponent(\`export async function load(url, ctx, next) { if (url.startsWith("file:")) process.stderr.write("LOADED " + url + "\\\\n"); return next(url, ctx); }\`));
`;
    writeFileSync(p.dir.join("hook.mjs"), hook);
  });
  afterAll(() => p.remove());

  it("does not import the LLM SDK (ai, @ai-sdk/*), the chat REPL, or yargs and the other commands", async () => {
    const r = await runNode(p.dir.join("hook.mjs"), [], { cwd: p.dir.path }); // the hook file itself must load
    expect(r.code).toBe(0);
    const run = await runNode(VICTOR_BIN, ["sessions", "list"], {
      cwd: p.dir.path,
      env: { HOME: p.home.path, NODE_OPTIONS: `--import=${p.dir.join("hook.mjs")}` },
    });
    expect(run.code).toBe(0);
    // The bundle measures printable ASCII itself and loads string-width for the rest (scripts/bundle.mjs): wide text still lines up.
    const table = run.stdout.split("\n").filter((l) => /^[┌│├└]/.test(l));
    expect(table.some((l) => l.includes("日本語 🚀 and é"))).toBe(true);
    expect(new Set(table.map(displayWidth)).size).toBe(1);
    const loaded = run.stderr.split("\n").filter((l) => l.startsWith("LOADED "));
    // The CLI is bundled (scripts/bundle.mjs): the REPL and the providers are lazily loaded chunks.
    expect(loaded.some((l) => l.includes("/dist/bundle/main.js"))).toBe(true);
    // The list reads the file through @victor/core/lite (quick-list.ts): not the store's entry, whose
    // engines load drizzle (bundled into core's chunks, so its index is the file to look for).
    expect(loaded.some((l) => l.includes("/core/dist/lite.js"))).toBe(true);
    // `sessions list` runs without yargs (src/direct.ts): the parser chunk holds yargs and every command module.
    const offending = loaded.filter((l) => /\/(ai@|@ai-sdk\+|@ai-sdk\/)|\/node_modules\/ai\/|\/dist\/bundle\/(run-chat|stream|parser)-|\/core\/dist\/index\.js/.test(l));
    expect(offending).toEqual([]);
  });

  it("the same check sees the REPL and parser chunks when `victor chat` runs (the pattern above is live)", async () => {
    const run = await runNode(VICTOR_BIN, ["chat"], {
      cwd: p.dir.path,
      input: "/exit\n",
      env: { HOME: p.home.path, NODE_OPTIONS: `--import=${p.dir.join("hook.mjs")}` },
    });
    expect(run.code).toBe(0);
    const loaded = run.stderr.split("\n").filter((l) => l.startsWith("LOADED "));
    expect(loaded.some((l) => /\/dist\/bundle\/run-chat-/.test(l))).toBe(true);
    expect(loaded.some((l) => /\/dist\/bundle\/parser-/.test(l))).toBe(true);
    expect(loaded.some((l) => /\/core\/dist\/index\.js/.test(l))).toBe(true);
  });
});

import { displayWidth } from "@victor/terminal";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOSTILE, assertTerminalSafe } from "../hostile-corpus.js";
import { makeProject, withStore, type Project } from "./helpers.js";
import type { Message } from "@victor/core";

const WIDTHS = [40, 59, 60, 80];
/** The longest id a session may have (DESIGN §3): 128 characters. */
const LONG_ID = `L${"a".repeat(127)}`;
const IMPORTED_ID = "claude-5e551011-0000-4000-8000-000000000001";

const turns = (n: number): Message[] => Array.from({ length: n }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content: `turn ${i}` }));

/** Lines of our own layout wider than `columns` (message bodies are the terminal's to wrap: they start with "turn"). */
const tooWide = (text: string, columns: number): string[] => text.split("\n").filter((line) => !line.startsWith("turn") && displayWidth(line) > columns);

describe("the views added since issue 9 fit the terminal (40, 59, 60, 80 columns)", () => {
  let p: Project;
  let deepest = "";
  beforeAll(async () => {
    p = makeProject();
    await withStore(p.dbPath, async (store) => {
      const original = [...turns(6), { role: `tool ${HOSTILE}`, name: `name ${HOSTILE}`, tool_call_id: `call_${"x".repeat(60)}`, content: "turn tool" }, ...turns(2)];
      await store.saveSession({ sessionId: "root", title: `Root ${HOSTILE}`, conversation: { messages: original }, model: "m", provider: "p" });
      await store.saveSession({ sessionId: "root", conversation: { messages: [{ role: "system", content: "turn summary" }, ...original.slice(-2)] }, model: "m", provider: "p", contextChange: { kind: "compact-smart" } });
      // A chain of forks, each a level deeper in the tree.
      let parent = "root";
      for (let i = 0; i < 10; i++) parent = (await store.forkSession(parent, { at: 1, title: `fork ${i} of a chain deep enough to reach the edge` })).sessionId;
      deepest = parent;
      await store.saveSession({ sessionId: LONG_ID, title: "A session with the longest id there is", conversation: { messages: turns(2) }, model: "m", provider: "p" });
      await store.forkSession(LONG_ID, { at: 1 });
      await store.saveSession({ sessionId: IMPORTED_ID, title: "Imported from Claude Code", conversation: { messages: turns(2) }, model: "claude", provider: "anthropic" });
    });
  });
  afterAll(() => p.remove());

  it.each(WIDTHS)("show --all, tree and list at %i columns: no line wider, no id cut", async (columns) => {
    for (const args of [["sessions", "show", "root"], ["sessions", "show", "root", "--all"], ["sessions", "tree", "root"], ["sessions", "tree", LONG_ID], ["sessions", "tree", deepest], ["sessions", "list", "--all"]]) {
      const r = await p.run(args, { tty: { columns } });
      expect(r.code, r.stderr).toBe(0);
      expect(tooWide(r.stdout, columns), `${args.join(" ")} @${columns}`).toEqual([]);
      assertTerminalSafe(r.stdout, args.join(" "));
    }
    // Ids are what a reader types: shown whole (split over lines at worst), never cut to a prefix that several share.
    const list = await p.run(["sessions", "list", "--all"], { tty: { columns } });
    const flat = list.stdout.replace(/\n/g, "");
    expect(flat).toContain(LONG_ID);
    expect(flat).toContain(IMPORTED_ID);
    const tree = await p.run(["sessions", "tree", LONG_ID], { tty: { columns } });
    expect(tree.stdout.replace(/ ◀/g, "").replace(/\n(│ {2}| {3})?/g, "")).toContain(LONG_ID);
  });

  it.each(WIDTHS)("results and questions of the commands that change sessions wrap at %i columns", async (columns) => {
    const runs = [
      await p.run(["sessions", "rename", IMPORTED_ID, "A new title that is long enough to need more than one line here"], { tty: { columns } }),
      // The first run (at 40) undoes the compaction; later ones say there is nothing to undo (an error, wrapped too).
      await p.run(["sessions", "uncompact", "root"], { tty: { columns, stderr: true } }),
      await p.run(["sessions", "reindex"], { tty: { columns } }),
      await p.run(["sessions", "delete", IMPORTED_ID], { tty: { columns, stderr: true }, input: "n\n" }),
    ];
    for (const r of runs) {
      expect(tooWide(r.stdout, columns)).toEqual([]);
      expect(tooWide(r.stderr, columns)).toEqual([]);
    }
  });

  it("a pipe gets each result on one line, as before", async () => {
    const r = await p.run(["sessions", "rename", IMPORTED_ID, "A new title that is long enough to need more than one line here"]);
    expect(r.stdout).toBe(`Renamed ${IMPORTED_ID} to "A new title that is long enough to need more than one line here".\n`);
  });

  it("--all-projects never invents a total: it says there are more, or counts them all", async () => {
    const paged = await p.run(["sessions", "list", "--all-projects", "--limit", "3"]);
    expect(paged.stdout).not.toMatch(/Showing 3 of \d+/);
    expect(paged.stdout).toContain("Showing the 3 most recently updated; there are more (--limit N or --all).");
    const all = await p.run(["sessions", "list", "--all-projects", "--limit", "100"]);
    expect(all.stdout).not.toContain("Showing");
  });

  it("--debug prints the stack trace inertly: its first line quotes what was typed", async () => {
    const r = await p.run(["sessions", "import", `missing ${HOSTILE}.json`, "--debug"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\n\s+at /);
    assertTerminalSafe(r.stderr, "--debug stack");
  });
});

import { mkdirSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeContext, msg } from "../src/slash/test-helpers/fake-context.js";
import { runSlashLine } from "../src/slash/registry.js";
import { FRIENDLY, HOSTILE, assertTerminalSafe } from "./hostile-corpus.js";
import { makeProject, withStore, type Project } from "./sessions/helpers.js";

const ID = "20250107_153045";

async function seedHostile(dbPath: string): Promise<void> {
  await withStore(dbPath, async (store) => {
    await store.saveSession({
      sessionId: ID,
      title: `${HOSTILE} ${FRIENDLY}`,
      model: `model ${HOSTILE}`,
      provider: `provider ${HOSTILE}`,
      tags: [HOSTILE],
      conversation: {
        messages: [
          msg("user", `authentication ${HOSTILE} ${FRIENDLY}`),
          msg("assistant", HOSTILE, { tool_calls: [{ id: `call ${HOSTILE}`, type: "function", function: { name: `tool ${HOSTILE}`, arguments: JSON.stringify({ x: HOSTILE }) } }] }),
          msg("tool", HOSTILE, { name: `tool ${HOSTILE}`, tool_call_id: `call ${HOSTILE}` }),
          msg(`role ${HOSTILE}`, HOSTILE),
        ],
      },
    });
    // Compacted (the first message leaves the context: search finds it there, show --all shows it) and forked.
    const messages = (await store.getSession(ID)).conversation.messages;
    await store.saveSession({ sessionId: ID, model: "m", provider: "p", conversation: { messages: [msg("system", `[Previous conversation summary]\n${HOSTILE} ${FRIENDLY}`), ...messages.slice(1)] }, contextChange: { kind: "compact-smart" } });
    await store.forkSession(ID, { at: 2, title: `fork ${HOSTILE}` });
  });
}

describe("hostile stored text never reaches the terminal as control", () => {
  let p: Project;
  beforeAll(async () => {
    p = makeProject();
    await seedHostile(p.dbPath);
  });
  afterAll(() => p.remove());

  const commands = [
    ["sessions", "list"],
    ["sessions", "list", "--json"],
    ["sessions", "show", ID],
    ["sessions", "show", ID, "--json"],
    ["sessions", "show", ID, "--all"],
    ["sessions", "tree", ID],
    ["sessions", "tree", "--json"],
    ["sessions", "search", "authentication"],
    ["sessions", "search", "authentication", "--json"],
    ["sessions", "stats"],
    ["sessions", "export"],
    ["sessions", "export", ID, "--format", "markdown"],
    ["sessions", "export", ID, "--format", "markdown", "--all"],
  ];

  for (const colours of [{ NO_COLOR: "1" }, { FORCE_COLOR: "1", NO_COLOR: "" }] as Record<string, string>[]) {
    it.each(commands.map((c) => [c.join(" "), c]))(`%s (${colours.FORCE_COLOR ? "colour" : "no colour"}, 80 columns and a pipe)`, async (_name, args) => {
      const words = args as string[];
      // A Markdown export is exact text when it goes to a file or a pipe; on a terminal it is display.
      const ttys = words.includes("markdown") ? [{ columns: 80 }] : [{ columns: 80 }, undefined];
      for (const tty of ttys) {
        const r = await p.run(words, { env: colours, tty });
        expect(r.code, r.stderr).toBe(0);
        assertTerminalSafe(r.stdout, `${words.join(" ")} stdout`);
        assertTerminalSafe(r.stderr, `${words.join(" ")} stderr`);
        // Friendly text is not collateral damage.
        if (words[1] === "show" && !words.includes("--json")) expect(r.stdout).toContain(FRIENDLY);
      }
    });
  }

  it("--json and exports keep the exact text", async () => {
    const shown = JSON.parse((await p.run(["sessions", "show", ID, "--json"])).stdout);
    expect(shown.metadata.title).toBe(`${HOSTILE} ${FRIENDLY}`);
    expect(shown.conversation.messages[1].content).toBe(HOSTILE);
    await p.run(["sessions", "export", ID, "--format", "markdown", "-o", "t.md"]);
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(p.dir.join("t.md"), "utf8")).toContain(HOSTILE);
  });

  it("confirmation questions and result lines (delete, fork, rename) are safe too", async () => {
    const del = await p.run(["sessions", "delete", ID], { tty: { columns: 80 }, input: "n\n" });
    assertTerminalSafe(del.stderr + del.stdout, "delete");
    const fork = await p.run(["sessions", "fork", ID]);
    assertTerminalSafe(fork.stdout, "fork");
    const rename = await p.run(["sessions", "rename", ID, HOSTILE]);
    assertTerminalSafe(rename.stdout + rename.stderr, "rename");
    const bad = await p.run(["sessions", "import", `missing${HOSTILE}.json`]);
    assertTerminalSafe(bad.stderr, "import error");
  });

  it("backup and restore show a hostile file name inertly (question, result lines)", async () => {
    // A file name holds any byte but NUL and `/` (and at most 255 bytes): the escape sequences fit.
    const name = `bk ${["\x1b]52;c;cm0gLXJmIH4=\x07", "\x1b[2J\x1b[H", "safe\rHIDDEN", "\u202eexe.txt\u202c", "\u009d0;title\u009c"].join(" ")}.db`;
    const backup = await p.run(["sessions", "backup", name]);
    expect(backup.code, backup.stderr).toBe(0);
    assertTerminalSafe(backup.stdout + backup.stderr, "backup");
    const asked = await p.run(["sessions", "restore", name], { tty: { columns: 80 }, input: "n\n" });
    expect(asked.stdout).toContain("Cancelled; nothing was changed.");
    assertTerminalSafe(asked.stdout + asked.stderr, "restore question");
    const restored = await p.run(["sessions", "restore", name, "--yes"]);
    expect(restored.code, restored.stderr).toBe(0);
    assertTerminalSafe(restored.stdout + restored.stderr, "restore");
    expect(restored.stdout).toContain("␛]52;c;cm0gLXJmIH4=␇");
  });
});

describe("hostile text in the chat's slash commands", () => {
  it("/sessions, /search, /resume (list and panel), /status and /load show it inertly", async () => {
    const ctx = fakeContext({ width: 80 });
    await seedHostile(ctx.dbPath);
    const legacyDir = ctx.dir.join(".victor", "sessions");
    mkdirSync(legacyDir, { recursive: true });
    writeFileSync(
      `${legacyDir}/legacy1.json`,
      JSON.stringify({ metadata: { title: HOSTILE, model: HOSTILE }, conversation: { messages: [{ role: "user", content: HOSTILE }] } }),
    );
    ctx.inputs.push("1");
    for (const line of ["/sessions", "/search authentication", "/resume", `/resume ${ID}`, "/compact --undo", "/fork 1", "/rewind", "/status", "/load legacy1", "/help"]) await runSlashLine(ctx, line);
    assertTerminalSafe(ctx.text, "slash output");
    assertTerminalSafe(ctx.errors.join("\n"), "slash warnings");
    expect(ctx.text).toContain("Session Resumed");
    expect(ctx.text).toContain("Legacy Session Loaded");
    await ctx.cleanup();
  });
});

import Database from "better-sqlite3";
import { KEYS } from "@victor/test-utils";
import { copyFileSync, existsSync, statSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chatRig, type ChatRig } from "../chat/harness.js";
import { HOSTILE } from "../hostile-corpus.js";
import { seed, withStore } from "../sessions/helpers.js";

let rig: ChatRig;
beforeEach(async () => (rig = await chatRig()));
afterEach(() => rig.cleanup());

const SIZE = { cols: 80, rows: 24 };
const PROMPT = /victor> $/m;

describe("never losing a conversation at a terminal", () => {
  it("Ctrl-D with unsaved messages asks: cancel stays, save keeps the conversation and leaves", async () => {
    const term = rig.pty(["chat"], SIZE);
    await term.waitFor(PROMPT);
    term.write(`remember this${KEYS.enter}`);
    await term.waitFor(/Reply 1 from anthropic/);
    term.write(KEYS.ctrlD);
    await term.waitFor(/2 messages in this conversation are not saved\. Before leaving:[\s\S]*\[s\] save[\s\S]*\[d\] discard[\s\S]*\[c\] cancel/);
    term.write(`c${KEYS.enter}`);
    await term.waitFor(/Cancelled\.\nvictor> $/m);
    term.write(`/exit${KEYS.enter}`);
    await term.waitFor(/Before leaving:[\s\S]*s\/d\/c\? $/m);
    term.write(`s${KEYS.enter}`);
    expect((await term.exited).exitCode).toBe(0);
    const saved = await withStore(rig.dbPath, (s) => s.listSessions());
    expect(saved.map((s) => s.title)).toEqual(["remember this"]);
  });

  it("Ctrl-C stops a reply; at an empty prompt the first says how to leave, the second leaves (asking first)", async () => {
    rig.anthropic.script({ text: "A very long answer that never ends", hangAfterChunks: 1 });
    const term = rig.pty(["chat"], SIZE);
    await term.waitFor(PROMPT);
    term.write(`go${KEYS.enter}`);
    await term.waitFor(/A very/);
    term.write(KEYS.ctrlC);
    await term.waitFor(/Reply stopped\.[\s\S]*\/retry sends it again\.\nvictor> $/m);
    term.write("half typed");
    term.write(KEYS.ctrlC);
    await term.waitFor(/victor> $/m);
    term.write(KEYS.ctrlC);
    await term.waitFor(/Ctrl-C again or Ctrl-D to leave/);
    term.write(KEYS.ctrlC);
    expect((await term.exited).exitCode).toBe(0);
  });

  it("/resume without an id: a picker that filters as you type and previews; Ctrl-C twice leaves a working prompt", async () => {
    await seed(rig.dbPath, [
      { id: "20250107_153045", text: "Refactor the authentication module", title: "Auth refactor" },
      { id: "20250108_090000", text: "Set up the CI pipeline", title: "CI pipeline" },
      { id: "20250109_120000", text: `Hostile ${HOSTILE}`, title: `Hostile ${HOSTILE}` },
    ]);
    const term = rig.pty(["chat"], SIZE);
    await term.waitFor(PROMPT);
    term.write(`/resume${KEYS.enter}`);
    await term.waitFor(/Resume which session\?[\s\S]*20250109_120000[\s\S]*20250107_153045/);
    // The preview of the highlighted session (the newest): its last messages, inert.
    await term.waitFor(/user: Hostile ␛\]52/);
    term.write("pipeline");
    await term.waitFor((screen) => screen.includes("CI pipeline") && !screen.includes("Auth refactor"));
    term.write(KEYS.enter);
    await term.waitFor(/Session Resumed[\s\S]*ID:\s+20250108_090000/);
    term.write(`/resume${KEYS.enter}`);
    await term.waitFor(/Resume which session\?/);
    term.write(KEYS.ctrlC);
    await term.waitFor(/Resume cancelled\./);
    term.write(KEYS.ctrlC);
    await term.waitFor(/Ctrl-C again or Ctrl-D to leave/);
    term.write(`/status${KEYS.enter}`);
    await term.waitFor(/Session:\s+20250108_090000/);
     
    expect(term.output).not.toMatch(/\x1b\]52|\x1b\]0;|\x1b\[2J|\u202e/);
    term.write(`/exit${KEYS.enter}`);
    expect((await term.exited).exitCode).toBe(0);
  });

  it.each(["SIGHUP", "SIGTERM"])("%s ends the chat like /exit: the store is closed, project.db alone holds every save", async (signal) => {
    const term = rig.pty(["chat"], SIZE);
    await term.waitFor(PROMPT);
    term.write(`keep me${KEYS.enter}`);
    await term.waitFor(/Reply 1/);
    term.write(`/save Kept${KEYS.enter}`);
    await term.waitFor(/Action:\s+created/);
    // While the chat runs, each save is already in the database file itself (checkpointed).
    const copy = `${rig.dbPath}.copy`;
    copyFileSync(rig.dbPath, copy);
    expect(await withStore(copy, (s) => s.listSessions()).then((l) => l.map((x) => x.title))).toEqual(["Kept"]);
    term.write(`more, unsaved${KEYS.enter}`);
    await term.waitFor(/Reply 2/);
    term.kill(signal);
    const exit = await term.exited;
    expect(exit.exitCode).toBe(signal === "SIGHUP" ? 129 : 143);
    // Closed cleanly: SQLite folded the log into the database and removed it.
    expect(existsSync(`${rig.dbPath}-wal`) ? statSync(`${rig.dbPath}-wal`).size : 0).toBe(0);
    const db = new Database(rig.dbPath, { readonly: true });
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    db.close();
  });
});

describe("a model's streamed reply is data too", () => {
  it("escape sequences in a reply are shown inertly, colour stays ours", async () => {
    rig.anthropic.script({ text: `Here: ${HOSTILE} done` });
    const term = rig.pty(["chat"], SIZE);
    await term.waitFor(PROMPT);
    term.write(`hi${KEYS.enter}`);
    await term.waitFor(/done\nvictor> $/m);
    expect(term.screen().join("\n")).toContain("Here: ␛]52;c;");
     
    expect(term.output).not.toMatch(/\x1b\]52|\x1b\]0;|\x1b\]8;|\x1b\[2J|\x1bP|\x07|\u009b|\u202e/);
    term.write(`/exit${KEYS.enter}`);
    await term.waitFor(/s\/d\/c\? $/m);
    term.write(`d${KEYS.enter}`);
    expect((await term.exited).exitCode).toBe(0);
  });
});

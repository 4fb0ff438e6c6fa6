import { KEYS } from "@victor/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatRig, type ChatRig } from "../chat/harness.js";
import { HOSTILE } from "../hostile-corpus.js";
import { seed } from "../sessions/helpers.js";

const SIZES = [
  { cols: 60, rows: 20 },
  { cols: 80, rows: 24 },
  { cols: 200, rows: 50 },
];

let rig: ChatRig;
beforeAll(async () => {
  rig = await chatRig();
  await seed(rig.dbPath, [
    { id: "20250107_153045", text: "Refactor the authentication module and its tests", title: "Feature: User authentication - Implementation and tests", model: "claude-sonnet-4-20250514" },
    { id: "20250108_090000", text: "数据库迁移 ✅ 👩‍💻 authentication", title: "数据库迁移 — 第二阶段的设计讨论与实现细节 ✅", model: "gpt-4o" },
    { id: "20250109_120000", text: `authentication ${HOSTILE}`, title: `Hostile ${HOSTILE}` },
  ]);
});
afterAll(() => rig.cleanup());

describe.each(SIZES)("at $cols×$rows", (size) => {
  it("the chat's /help, /sessions and /search fit: no row wraps", async () => {
    const term = rig.pty(["chat"], size);
    await term.waitFor(/victor> $/m);
    term.write(`/help${KEYS.enter}`);
    await term.waitFor(/Tab completes\.?/);
    term.write(`/sessions${KEYS.enter}`);
    await term.waitFor(/Resume one: \/resume/);
    term.write(`/search authentication${KEYS.enter}`);
    await term.waitFor(/Resume one: \/resume <id>\s*\nvictor> $/m);
    await term.settle();
    expect(term.wrappedRows(), term.screen().join("\n")).toEqual([]);
    term.write(`/exit${KEYS.enter}`);
    expect((await term.exited).exitCode).toBe(0);
  });
});

describe("victor sessions on a terminal", () => {
  it.each([
    [["sessions", "list"]],
    [["sessions", "show", "20250109"]],
  ])("%j fits 80×24 and sends no escape sequence but colour", async (args) => {
    const term = rig.pty(args, { cols: 80, rows: 24 });
    expect((await term.exited).exitCode).toBe(0);
    await term.settle(50);
    // Message bodies are the terminal's to wrap; our tables, panels and lists never do.
    if (args[1] !== "show") expect(term.wrappedRows(), term.screen().join("\n")).toEqual([]);
    expect(term.output).toContain("\x1b[");
     
    expect(term.output.replace(/\x1b\[[0-9;]*m/g, "")).not.toMatch(/[\x07\x1b\x9b\x9d\u202e]/);
    expect(term.screen().join("\n")).toMatch(/Hostile ␛\]52;c;|20250109_120000/);
  });
});

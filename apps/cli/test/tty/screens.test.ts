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
  it("sessions list, search and show fit: no row wraps, and no escape sequence but colour reaches the terminal", async () => {
    for (const args of [["sessions", "list"], ["sessions", "search", "authentication"], ["sessions", "show", "20250109"]]) {
      const term = rig.pty(args, size);
      expect((await term.exited).exitCode, args.join(" ")).toBe(0);
      await term.settle(50);
      // Message bodies are the terminal's to wrap; our tables, panels and lists never do.
      if (args[1] !== "show") expect(term.wrappedRows(), `${args.join(" ")}\n${term.screen().join("\n")}`).toEqual([]);
       
      expect(term.output.replace(/\x1b\[[0-9;]*m/g, ""), args.join(" ")).not.toMatch(/[\x07\x1b\x9b\x9d\u202e]/);
    }
  });

  it("the chat's /help and /sessions fit", async () => {
    const term = rig.pty(["chat"], size);
    await term.waitFor(/victor> $/m);
    term.write(`/help${KEYS.enter}`);
    await term.waitFor(/Tab completes\.?/);
    term.write(`/sessions${KEYS.enter}`);
    await term.waitFor(/Resume one: \/resume/);
    await term.settle();
    expect(term.wrappedRows(), term.screen().join("\n")).toEqual([]);
    term.write(`/exit${KEYS.enter}`);
    expect((await term.exited).exitCode).toBe(0);
  });
});

import { displayWidth } from "@victor/terminal";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProject, seed, type Project } from "./helpers.js";

const TITLES = [
  "Feature: User authentication - Implementation and tests for the login flow",
  "数据库迁移 — 第二阶段的设计讨论与实现细节",
  "Release ✅ checklist 👩‍💻🚀 done",
  "a",
];

describe("victor sessions at a terminal: widths", () => {
  let p: Project;
  beforeAll(async () => {
    p = makeProject();
    await seed(
      p.dbPath,
      TITLES.map((title, i) => ({ id: `2025010${i + 1}_153045`, text: `Question ${i} about authentication`, title, model: i % 2 ? "claude-sonnet-4-20250514" : "gpt-4o" })),
    );
  });
  afterAll(() => p.remove());

  it.each([40, 59, 60, 80, 100, 200])("list, search and show never exceed %i columns", async (columns) => {
    for (const args of [["sessions", "list"], ["sessions", "search", "authentication"], ["sessions", "show", "20250101"], ["sessions", "stats"]]) {
      const r = await p.run(args, { tty: { columns } });
      expect(r.code, args.join(" ")).toBe(0);
      // Message text is left to the terminal to wrap (code must stay copyable); everything we lay out fits.
      for (const line of r.stdout.split("\n").filter((l) => !/^(Question|Answer about)/.test(l))) expect(displayWidth(line), `${args.join(" ")} @${columns}: ${line}`).toBeLessThanOrEqual(columns);
    }
  });

  it("at 80 columns the title gets the room, sorted by update time the column says Updated", async () => {
    const r = await p.run(["sessions", "list"], { tty: { columns: 80 } });
    const header = r.stdout.split("\n")[1]!;
    expect(header).toContain("Updated");
    const titleCell = header.split("│")[2]!;
    expect(titleCell.length).toBeGreaterThanOrEqual(26);
    expect(r.stdout).toContain("…");
  });

  it("below 60 columns each session is stacked on two lines", async () => {
    const r = await p.run(["sessions", "list"], { tty: { columns: 50 } });
    expect(r.stdout).not.toContain("┌");
    expect(r.stdout).toMatch(/20250104_153045 {2}a\n {2}\d{4}-\d\d-\d\d \d\d:\d\d · 2 messages · anthropic:\S*…\n/);
  });

  it("a pipe gets everything, untruncated; 1 message is not 1 messages", async () => {
    const r = await p.run(["sessions", "list"]);
    for (const title of TITLES) expect(r.stdout).toContain(title);
    const one = makeProject();
    await seed(one.dbPath, [{ id: "x1", text: "hi" }]);
    const show = await one.run(["sessions", "delete", "x1"], { tty: { columns: 80 }, input: "n\n" });
    expect(show.stderr).toContain("2 messages");
    one.remove();
  });
});

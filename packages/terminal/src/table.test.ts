import pc from "picocolors";
import { describe, expect, it } from "vitest";
import { renderPanel } from "./panel.js";
import { renderTable, type Column } from "./table.js";
import { displayWidth } from "./width.js";

const plain = pc.createColors(false);
const columns: Column[] = [
  { header: "ID" },
  { header: "Title", grow: true, min: 20 },
  { header: "Model", min: 10, dropOrder: 2 },
  { header: "Provider", min: 8, dropOrder: 1 },
  { header: "Messages", align: "right" },
];
const rows = [
  ["20250107_153045", "Feature: User authentication - Implementation and tests", "claude-sonnet-4-20250514", "anthropic", 12],
  ["20250108_090000", "数据库迁移 — 第二阶段的设计讨论 ✅", "gpt-4o", "openai", 1],
];

describe("renderTable", () => {
  it("never exceeds the width, gives the title the room and drops columns in order", () => {
    for (const width of [62, 72, 80, 100, 120, 200]) {
      const text = renderTable(plain, columns, rows, width)!;
      const lines = text.split("\n");
      for (const line of lines) expect(displayWidth(line), `${width}: ${line}`).toBeLessThanOrEqual(width);
      // Every line of a table is equally wide: wide characters are measured right.
      expect(new Set(lines.map(displayWidth)).size).toBe(1);
      expect(text).toContain("20250107_153045");
    }
    expect(renderTable(plain, columns, rows, 80)).toContain("Provider");
    expect(renderTable(plain, columns, rows, 72)).not.toContain("Provider");
    expect(renderTable(plain, columns, rows, 200)).toContain("Feature: User authentication - Implementation and tests");
  });

  it("gives up (null) when even the minimums cannot fit", () => expect(renderTable(plain, columns, rows, 40)).toBeNull());

  it("without a width (a pipe) keeps everything; cells are sanitised to one line", () => {
    const text = renderTable(plain, [{ header: "A" }, { header: "B" }], [["x\ny", "\x1b]0;t\x07"]])!;
    expect(text).toContain("x⏎y");
    expect(text).toContain("␛]0;t␇");
    expect(text).not.toContain("\x1b");
  });
});

describe("renderPanel", () => {
  it("lines up with emoji and CJK, and wraps a long value within the width", () => {
    const lines = renderPanel(plain, "Session Saved", [["Title", "数据库迁移 ✅ 🚀"], ["Database", `/home/user/${"deep/".repeat(20)}project.db`]], { footer: "Resume later with: /resume 20250107_153045", width: 60 }).split("\n");
    expect(new Set(lines.map(displayWidth)).size).toBe(1);
    expect(displayWidth(lines[0]!)).toBeLessThanOrEqual(60);
    expect(lines.join("")).toContain("project.db");
  });

  it("shows a hostile title and value inertly", () => {
    const text = renderPanel(plain, "T\x1b[2J", [["Title", "a\x1b]52;c;x\x07\u202eb"]]);
    expect(text).not.toMatch(/[\x1b\x07\u202e]/);
    expect(text).toContain("␛]52;c;x␇\\u{202e}b");
  });
});

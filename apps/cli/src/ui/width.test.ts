import type { SessionSummary } from "@victor/core";
import pc from "picocolors";
import { describe, expect, it } from "vitest";
import { renderPanel } from "./panel.js";
import { renderSessionsTable } from "./session-views.js";
import { renderTable } from "./table.js";
import { displayWidth, truncateToWidth } from "./width.js";

const plain = pc.createColors(false);

const summary = (id: string, title: string): SessionSummary => ({
  id,
  title,
  model: "claude-sonnet-4-20250514",
  provider: "openai-compatible",
  profile: "default",
  messageCount: 12,
  createdAt: "2026-01-07T14:30:45.123Z",
  updatedAt: "2026-01-07T14:30:45.123Z",
  tags: [],
  parentId: null,
  revision: 1,
});

describe("displayWidth / truncateToWidth", () => {
  it("counts CJK and emoji as two cells, combining marks as none", () => {
    expect(displayWidth("abc")).toBe(3);
    expect(displayWidth("数据库")).toBe(6);
    expect(displayWidth("🚀x")).toBe(3);
    expect(displayWidth("e\u0301")).toBe(1);
    expect(truncateToWidth("数据库迁移", 6)).toBe("数据…");
    expect(displayWidth(truncateToWidth("数据库迁移", 6))).toBeLessThanOrEqual(6);
    expect(truncateToWidth("short", 10)).toBe("short");
  });
});

describe("tables fit the terminal", () => {
  const sessions = [summary("20250107_153045", "Feature: User authentication - Implementation and tests"), summary("20250108_090000", "数据库迁移 — 第二阶段的设计讨论与实现细节")];

  it("narrows model, provider, then the title, so every line fits the width", () => {
    for (const width of [80, 100, 110]) {
      const lines = renderSessionsTable(plain, sessions, width).split("\n");
      for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(width);
      expect(lines.join("\n")).toContain("20250107_153045");
    }
  });

  it("keeps everything when there is no width limit (output to a pipe)", () => {
    const text = renderSessionsTable(plain, sessions, undefined);
    expect(text).toContain("Feature: User authentication - Implementation and…");
    expect(text).toContain("claude-sonnet-4-20250514");
  });

  it("only narrows the columns it is allowed to", () => {
    const text = renderTable(plain, ["A", "B"], [["x".repeat(30), "y".repeat(30)]], { width: 40, shrink: [{ column: 1, min: 4 }] });
    expect(text).toContain("x".repeat(30));
    expect(text).not.toContain("y".repeat(30));
  });
});

describe("panels line up with wide characters", () => {
  it("every line of a panel with a CJK title and emoji has the same width", () => {
    const lines = renderPanel(plain, "Session Saved", [["Title", "数据库迁移 🚀"], ["ID", "20250107_153045"]], "Resume later with: /resume 20250107_153045").split("\n");
    const widths = new Set(lines.map(displayWidth));
    expect(widths.size).toBe(1);
  });
});

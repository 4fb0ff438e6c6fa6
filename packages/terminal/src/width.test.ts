import { describe, expect, it } from "vitest";
import { displayWidth, padToWidth, terminalWidth, truncateToWidth, wrapIndented, wrapToWidth } from "./width.js";

describe("displayWidth", () => {
  it("measures emoji, ZWJ sequences, CJK and combining marks as a terminal shows them", () => {
    expect(displayWidth("abc")).toBe(3);
    expect(displayWidth("数据库")).toBe(6);
    expect(displayWidth("✅")).toBe(2);
    expect(displayWidth("👩‍💻")).toBe(2);
    expect(displayWidth("🇫🇷")).toBe(2);
    expect(displayWidth("e\u0301")).toBe(1);
    expect(displayWidth("\x1b[31mred\x1b[39m")).toBe(3);
  });
});

describe("truncateToWidth", () => {
  it("cuts on grapheme boundaries with …, never past the width", () => {
    expect(truncateToWidth("数据库迁移", 6)).toBe("数据…");
    expect(truncateToWidth("👩‍💻👩‍💻👩‍💻", 5)).toBe("👩‍💻👩‍💻…");
    expect(truncateToWidth("short", 10)).toBe("short");
    expect(truncateToWidth("abcdef", 1)).toBe("…");
    expect(truncateToWidth("abcdef", 0)).toBe("");
    for (let w = 1; w < 12; w++) expect(displayWidth(truncateToWidth("ab数据✅👩‍💻cd", w))).toBeLessThanOrEqual(w);
  });
});

describe("wrapToWidth", () => {
  it("wraps at spaces, cuts words longer than a line, keeps newlines", () => {
    expect(wrapToWidth("the quick brown fox", 9)).toEqual(["the quick", "brown fox"]);
    expect(wrapToWidth("/a/very/long/path/without/spaces", 10)).toEqual(["/a/very/lo", "ng/path/wi", "thout/spac", "es"]);
    expect(wrapToWidth("one\ntwo", 20)).toEqual(["one", "two"]);
    expect(wrapToWidth("no limit here", undefined)).toEqual(["no limit here"]);
    for (const line of wrapToWidth("数据库迁移 第二阶段的设计讨论与实现细节 ✅ done", 7)) expect(displayWidth(line)).toBeLessThanOrEqual(7);
  });
});

describe("padToWidth / terminalWidth", () => {
  it("pads by cells and reads the width of a terminal only", () => {
    expect(padToWidth("数据", 6)).toBe("数据  ");
    expect(padToWidth("7", 3, "right")).toBe("  7");
    expect(terminalWidth({ isTTY: true, columns: 80 })).toBe(80);
    expect(terminalWidth({ isTTY: false, columns: 80 })).toBeUndefined();
  });
});

describe("wrapIndented", () => {
  it("keeps a line that fits; wraps a longer one under its own indentation plus two, never past the width", () => {
    expect(wrapIndented("  short", 20)).toEqual(["  short"]);
    expect(wrapIndented("  /a/long/path/name.jsonl: not JSON", undefined)).toEqual(["  /a/long/path/name.jsonl: not JSON"]);
    const lines = wrapIndented("  /tmp/home/.claude/projects/-tmp-project/5e551011.jsonl: nothing readable (line 1: not JSON)", 24);
    expect(lines[0]!.startsWith("  /tmp")).toBe(true);
    expect(lines.slice(1).every((line) => line.startsWith("    ") && !line.startsWith("     "))).toBe(true);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(24);
    expect(lines.join("").replace(/\s+/g, "")).toBe("/tmp/home/.claude/projects/-tmp-project/5e551011.jsonl:nothingreadable(line1:notJSON)");
  });
});

import { describe, expect, it } from "vitest";
import { listedLines } from "./listing.js";
import { displayWidth } from "./width.js";

describe("listedLines", () => {
  it("lists every item when there are no more than the maximum", () => {
    expect(listedLines(["a", "b"], 2, (s) => `  ${s}`)).toEqual(["  a", "  b"]);
  });

  it("stops at the maximum and says how many more the JSON report holds", () => {
    expect(listedLines(["a", "b", "c", "d"], 2, (s) => `  ${s}`)).toEqual(["  a", "  b", "  … and 2 more (see --json)"]);
  });

  it("makes control characters of a line visible instead of sending them to the terminal", () => {
    expect(listedLines(["x\u001b]52;c;evil\u0007"], 5, (s) => s)).toEqual(["x␛]52;c;evil␇"]);
  });
});

describe("listedLines with a terminal's width", () => {
  it("wraps a long item under itself instead of running past the edge (a pipe keeps it whole)", () => {
    const path = "/home/someone/.claude/projects/-home-someone-work/5e551011-0000-4000-8000-000000000001.jsonl";
    const wrapped = listedLines([path], 5, (p) => `  ${p}: not JSON`, 40);
    expect(wrapped.length).toBeGreaterThan(1);
    for (const line of wrapped) expect(displayWidth(line)).toBeLessThanOrEqual(40);
    expect(wrapped.join("").replace(/\s+/g, "")).toBe(`${path}:notJSON`);
    expect(listedLines([path], 5, (p) => `  ${p}`)).toEqual([`  ${path}`]);
  });
});

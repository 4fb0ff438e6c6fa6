import { describe, expect, it } from "vitest";
import { listedLines } from "./listing.js";

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

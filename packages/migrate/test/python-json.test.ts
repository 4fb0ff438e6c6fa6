import { describe, expect, it } from "vitest";
import { nonFiniteNote, replaceNonFiniteNumbers } from "../src/python-json.js";

describe("replaceNonFiniteNumbers", () => {
  it("replaces NaN, Infinity and -Infinity outside strings, and names line and column", () => {
    const text = '{\n  "a": NaN,\n  "b": [Infinity, -Infinity, -1.5],\n  "c": "NaN \\" Infinity"\n}';
    const repaired = replaceNonFiniteNumbers(text)!;
    expect(JSON.parse(repaired.text)).toEqual({ a: null, b: [null, null, -1.5], c: 'NaN " Infinity' });
    expect(repaired.replaced).toEqual(["NaN at line 2, column 8", "Infinity at line 3, column 9", "-Infinity at line 3, column 19"]);
  });

  it("leaves text without them alone", () => {
    expect(replaceNonFiniteNumbers('{"Nancy": "Infinity", "n": -2}')).toBeNull();
  });

  it("names the first three places and counts the rest", () => {
    expect(nonFiniteNote(["NaN at line 1, column 1", "NaN at line 2, column 1", "NaN at line 3, column 1", "NaN at line 4, column 1", "NaN at line 5, column 1"])).toBe(
      "Python wrote numbers JSON cannot hold (NaN at line 1, column 1, NaN at line 2, column 1, NaN at line 3, column 1 and 2 more): recovered, each stored as null",
    );
  });
});

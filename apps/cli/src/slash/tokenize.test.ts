import { describe, expect, it } from "vitest";
import { tokenize } from "./tokenize.js";

describe("tokenize", () => {
  it("splits on whitespace", () => expect(tokenize("/save  a   b")).toEqual(["/save", "a", "b"]));
  it("groups double quotes", () => expect(tokenize('/save "My Title" x')).toEqual(["/save", "My Title", "x"]));
  it("keeps single quotes literal", () => expect(tokenize("/save 'it\\'s")).toEqual(["/save", "it\\s"]));
  it("handles an apostrophe escaped outside quotes", () => expect(tokenize("/save it\\'s mine")).toEqual(["/save", "it's", "mine"]));
  it("escapes quotes inside double quotes", () => expect(tokenize('/save "say \\"hi\\" now"')).toEqual(["/save", 'say "hi" now']));
  it("joins adjacent quoted parts and keeps empty strings", () => expect(tokenize(`a"b c"'d' ""`)).toEqual(["ab cd", ""]));
  it("rejects an unterminated quote clearly", () => {
    expect(() => tokenize('/save "oops')).toThrow(/Unterminated double quote/);
    expect(() => tokenize("/save 'oops")).toThrow(/Unterminated single quote/);
  });
  it("rejects a trailing backslash", () => expect(() => tokenize("/save a\\")).toThrow(/backslash/));
});

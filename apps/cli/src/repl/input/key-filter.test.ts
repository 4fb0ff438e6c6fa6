import { describe, expect, it } from "vitest";
import { expandMarks, KeyFilter } from "./key-filter.js";

describe("KeyFilter", () => {
  it("turns a bracketed paste into one piece of text with line-break and tab marks", () => {
    const f = new KeyFilter();
    expect(f.feed("look: \x1b[200~Error: boom\r\n\tat main (a.js:1)\nend\x1b[201~ please")).toBe("look: Error: boom⏎⇥at main (a.js:1)⏎end please");
  });

  it("waits for sequences split across reads", () => {
    const f = new KeyFilter();
    expect(f.feed("a\x1b[20")).toBe("a");
    expect(f.feed("0~line1\rline2\x1b[2")).toBe("line1⏎line2");
    expect(f.feed("01~\r")).toBe("\r");
  });

  it("drops colour codes and controls inside a paste, so pasted text can never act as keys", () => {
    const f = new KeyFilter();
    expect(f.feed("\x1b[200~\x1b[31mred\x1b[0m\x03\x04\x1b]0;t\x07x\x1b[201~")).toBe("redx");
  });

  it("Alt-Enter types a line break; other keys pass unchanged", () => {
    const f = new KeyFilter();
    expect(f.feed("one\x1b\rtwo\x1b[D\r")).toBe("one⏎two\x1b[D\r");
  });

  it("expandMarks restores the text that is sent", () => expect(expandMarks("a⏎⇥b")).toBe("a\n\tb"));
});

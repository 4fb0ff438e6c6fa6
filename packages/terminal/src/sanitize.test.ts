import { describe, expect, it } from "vitest";
import { hasControlCharacters, sanitizeLine, sanitizeText } from "./sanitize.js";

describe("sanitizeText / sanitizeLine", () => {
  it("makes every escape sequence inert and visible", () => {
    expect(sanitizeText("\x1b]52;c;ZXZpbA==\x07")).toBe("␛]52;c;ZXZpbA==␇");
    expect(sanitizeText("\x1b]0;pwned\x1b\\")).toBe("␛]0;pwned␛\\");
    expect(sanitizeText("\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\")).toBe("␛]8;;https://evil.example␛\\click␛]8;;␛\\");
    expect(sanitizeText("\x1b[2J\x1b[H")).toBe("␛[2J␛[H");
    expect(sanitizeText("\x1bPq#0;2;0;0;0\x1b\\")).toBe("␛Pq#0;2;0;0;0␛\\");
  });

  it("shows C1 controls (8-bit CSI/OSC) and bidi controls as \\u{…}", () => {
    expect(sanitizeText("a\u009b2Jb\u009d0;x\u009c")).toBe("a\\u{9b}2Jb\\u{9d}0;x\\u{9c}");
    expect(sanitizeText("invoice\u202egnp.exe")).toBe("invoice\\u{202e}gnp.exe");
    expect(sanitizeText("\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d")).toBe("\\u{2066}\\u{2067}\\u{2068}\\u{2069}\\u{202a}\\u{202b}\\u{202c}\\u{202d}");
  });

  it("a bare carriage return cannot hide what precedes it; CRLF is a newline", () => {
    expect(sanitizeText("rm -rf /\rls")).toBe("rm -rf /␍ls");
    expect(sanitizeText("one\r\ntwo")).toBe("one\ntwo");
    expect(sanitizeText("bell\x07 nul\x00 del\x7f bs\x08")).toBe("bell␇ nul␀ del␡ bs␈");
  });

  it("blocks keep newlines and tabs; one-line fields show ⏎ and a space", () => {
    expect(sanitizeText("a\n\tb")).toBe("a\n\tb");
    expect(sanitizeLine("a\nb\r\nc\td")).toBe("a⏎b⏎c d");
    expect(sanitizeLine("para\u2028graph")).toBe("para⏎graph");
  });

  it("leaves ordinary text alone: emoji with ZWJ, CJK, accents", () => {
    const text = "Café 数据库 👩‍💻 ✅ e\u0301";
    expect(sanitizeText(text)).toBe(text);
    expect(sanitizeLine(text)).toBe(text);
    expect(hasControlCharacters(text)).toBe(false);
  });

  it("nothing unsafe is left after sanitising any code point below U+0100 or any bidi control", () => {
    let all = "";
    for (let cp = 0; cp < 0x100; cp++) all += String.fromCodePoint(cp);
    all += "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069";
    expect(hasControlCharacters(all)).toBe(true);
    expect(hasControlCharacters(sanitizeText(all))).toBe(false);
    expect(sanitizeLine(all)).not.toMatch(/[\n\t]/);
  });
});

describe("stringifyJson", () => {
  it("is the same JSON value, with terminal-active characters escaped", async () => {
    const { stringifyJson } = await import("./json.js");
    const value = { title: "a\u009b2J\u202eb\x1b]0;x\x07\u2028", n: [1, "数据 ✅"] };
    const text = stringifyJson(value, 2);
    expect(JSON.parse(text)).toEqual(value);
    expect(hasControlCharacters(text)).toBe(false);
    expect(text).toContain("\\u009b");
    expect(stringifyJson({ plain: "x" })).toBe(JSON.stringify({ plain: "x" }));
  });
});

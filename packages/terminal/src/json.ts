// Characters JSON.stringify leaves raw but a terminal acts on: DEL and C1 controls (8-bit CSI, OSC…),
// bidi controls, line/paragraph separators. (C0 controls it already escapes.)
const TERMINAL_ACTIVE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/**
 * JSON.stringify, with the characters above written as `\uXXXX` escapes: the same JSON value (a
 * parser reads back the exact text), but printing it to a terminal cannot drive the terminal.
 */
export function stringifyJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(TERMINAL_ACTIVE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Text that must never drive a terminal: every C0 and C1 control, the escape sequences attackers use
 * (OSC 52 clipboard write, OSC 0 window title, OSC 8 hidden hyperlink, CSI screen clear, DCS, APC), a
 * carriage return that hides what precedes it, BEL, bidi overrides (Trojan Source) — next to text that
 * must survive intact: ZWJ emoji, CJK, accents.
 */
const allC0 = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join("");
const allC1 = Array.from({ length: 32 }, (_, i) => String.fromCharCode(0x80 + i)).join("");

export const HOSTILE_PARTS = [
  "\x1b]52;c;cm0gLXJmIH4=\x07",
  "\x1b]0;pwned\x1b\\",
  "\x1b]8;;https://evil.example\x1b\\click me\x1b]8;;\x1b\\",
  "\x1b[2J\x1b[H\x1b[31m",
  "\x1bP+q544e\x1b\\",
  "\x1b_apc\x1b\\",
  "safe\rHIDDEN",
  "bell\x07",
  "\u202eexe.txt\u202c \u2066isolate\u2069",
  "\u009b2J \u009d0;title\u009c",
  allC0,
  allC1,
  "\x7f",
];

export const HOSTILE = HOSTILE_PARTS.join(" ");
export const FRIENDLY = "👩‍💻 数据库 ✅ Café";

/** Everything a hostile string may leave on a terminal after our sanitiser: only our own SGR colour codes. */
export function assertTerminalSafe(output: string, where: string): void {
   
  const withoutOurColours = output.replace(/\x1b\[[0-9;]*m/g, "");
   
  const offending = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.exec(withoutOurColours);
  if (offending) {
    const at = offending.index;
    throw new Error(`${where}: U+${offending[0].charCodeAt(0).toString(16).padStart(4, "0")} reached the terminal near ${JSON.stringify(withoutOurColours.slice(Math.max(0, at - 30), at + 10))}`);
  }
}

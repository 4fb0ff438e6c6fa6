import { createHash } from "node:crypto";
import { readFile } from "node:fs";
import { promisify } from "node:util";
import { validateLegacySession, type LegacySession } from "./legacy-schema.js";
import { nonFiniteNote, replaceNonFiniteNumbers } from "./python-json.js";
import { repairTruncatedSession } from "./recover-truncated.js";

export interface LegacyFileBytes {
  size: number;
  sha256: string;
  bytes: Buffer;
}

export type ParsedLegacyFile =
  /** `notes` say what a recovery changed. */
  | { ok: true; session: LegacySession; recovered: boolean; notes: string[] }
  | { ok: false; reason: string };

// The callback readFile, not fs/promises: on Node 20 the FileHandle version costs ~4 round trips
// of main-thread work per file (measured: 0.4 s of a 3.3 s import of 5,000 files).
const readFileOnce = promisify(readFile);

/**
 * Reads a source file read-only (never writes, never changes its times beyond the OS's atime).
 * `flag` defaults to plain reading; the migration passes READ_FLAGS (no symlink, no blocking).
 */
export async function readLegacyBytes(path: string, flag: string | number = "r"): Promise<LegacyFileBytes> {
  // readFile hands `flag` to open(), which takes numeric flags too (Node's typings only list strings).
  const bytes = await readFileOnce(path, { flag: flag as string });
  return { size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex"), bytes };
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The parser's complaint without any of the file's content (V8 quotes the text around an unexpected
 * token: a symlink to a secret file must not end up printed or in the ledger), and "at position 57"
 * as "at line 3, column 12" so a person can find it in an editor.
 */
function describeJsonError(message: string, text: string): string {
  if (/^Unexpected end of JSON input/.test(message)) return "the text ends in the middle of a value (cut short?)";
  if (/^Unexpected token/.test(message)) return "unexpected character";
  const match = / at position (\d+)/.exec(message);
  let where = "";
  if (match) {
    const position = Number(match[1]);
    const before = text.slice(0, position);
    where = ` at line ${before.split("\n").length}, column ${position - before.lastIndexOf("\n")}`;
  }
  const kind = message.split(/ in JSON| at position/)[0]!;
  // Anything that could quote the file's text is left out.
  return `${/["\n]/.test(kind) || kind.length > 80 ? "invalid JSON" : kind.charAt(0).toLowerCase() + kind.slice(1)}${where}`;
}

const CUT_NOTE = 'cut short after "conversation_state": recovered, conversation_state set to null';

/**
 * What the Python Victor wrote that JSON.parse refuses, made parseable: NaN/Infinity (Python's JSON
 * dialect) and a file cut short after `"conversation_state": `. Null when neither applies.
 */
function repairPythonOutput(text: string): { text: string; notes: string[]; cut: boolean } | null {
  const finite = replaceNonFiniteNumbers(text);
  const notes = finite ? [nonFiniteNote(finite.replaced)] : [];
  const candidate = finite ? finite.text : text;
  const uncut = repairTruncatedSession(candidate);
  if (uncut !== null) notes.unshift(CUT_NOTE);
  return notes.length === 0 ? null : { text: uncut ?? candidate, notes, cut: uncut !== null };
}

/**
 * Decodes (strict UTF-8, BOM stripped), parses and validates a legacy session file. Files cut
 * short after `"conversation_state": ` or holding Python's NaN/Infinity are repaired and flagged
 * `recovered`.
 */
export function parseLegacyBytes(bytes: Buffer): ParsedLegacyFile {
  if (bytes.length === 0) return { ok: false, reason: "empty file" };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, reason: "not valid UTF-8 (the file is binary or in another encoding)" };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") return { ok: false, reason: "empty file (only whitespace)" };
  let value: unknown;
  let notes: string[] = [];
  try {
    value = JSON.parse(text);
  } catch (error) {
    const repaired = repairPythonOutput(text);
    if (repaired === null) return { ok: false, reason: `not JSON: ${describeJsonError((error as Error).message, text)}` };
    try {
      value = JSON.parse(repaired.text);
      notes = repaired.notes;
    } catch (stillBad) {
      const damage = repaired.cut ? " (cut short, and what precedes the cut is damaged too)" : "";
      return { ok: false, reason: `not JSON: ${describeJsonError((stillBad as Error).message, repaired.text)}${damage}` };
    }
  }
  const checked = validateLegacySession(value);
  return checked.ok ? { ok: true, session: checked.session, recovered: notes.length > 0, notes } : checked;
}

import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { convertLegacySession, type ImportInput } from "./convert.js";
import { parseLegacyBytes, readLegacyBytes } from "./read-legacy-file.js";

export type ConvertedLegacyFile =
  | { ok: true; input: ImportInput; recovered: boolean; notes: string[] }
  | { ok: false; reason: string };

/**
 * One legacy file's bytes → the save input that recreates it (decode, parse, repair a cut-short
 * file, validate, convert). Shared by the migration and the chat's `/load`.
 */
export async function convertLegacyFile(path: string, sessionId: string, bytes: Buffer, options: { timeZone?: string } = {}): Promise<ConvertedLegacyFile> {
  const parsed = parseLegacyBytes(bytes);
  if (!parsed.ok) return parsed;
  // The file's time stands in for timestamps the file does not carry (stat only then: it costs).
  const meta = parsed.session.metadata;
  let fileTime = new Date().toISOString();
  if (!(typeof meta?.created_at === "string" && meta.created_at) && !(typeof meta?.updated_at === "string" && meta.updated_at)) {
    try {
      fileTime = (await stat(path)).mtime.toISOString();
    } catch {
      // keep "now"
    }
  }
  const converted = convertLegacySession(parsed.session, { sessionId, sourcePath: path, fileTime, timeZone: options.timeZone });
  if (!converted.ok) return converted;
  const notes = [...parsed.notes, ...converted.notes];
  return { ok: true, input: converted.input, recovered: parsed.recovered, notes };
}

/** Reads (read-only) and converts one legacy session file; its id is the file name's stem. */
export async function loadLegacySessionFile(path: string): Promise<ConvertedLegacyFile> {
  const file = await readLegacyBytes(path);
  return convertLegacyFile(path, basename(path, ".json"), file.bytes);
}

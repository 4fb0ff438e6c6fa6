import { isValidSessionId, toIsoUtc, toSaveInput, type SaveSessionInput, type Session } from "@victor/core";
import type { LegacySession } from "./legacy-schema.js";

export type ImportInput = SaveSessionInput & { sessionId: string };

export type Conversion = { ok: true; input: ImportInput; notes: string[] } | { ok: false; reason: string };

export interface ConvertContext {
  /** The session id: the file name's stem (what `/load <id>` used). */
  sessionId: string;
  /** Absolute path of the source file, kept under metadata.legacy.file. */
  sourcePath: string;
  /** The file's modification time (ISO), used when the file carries no timestamps. */
  fileTime: string;
  /** The zone naive timestamps are read in (default "local": the old releases wrote local time). */
  timeZone?: string;
}

export interface EnvelopeContext {
  sessionId: string;
  /** ISO time for a session that carries no timestamps. */
  fallbackTime: string;
  timeZone: string;
  /** Titles the writer derived itself (not the user's): such a title is not kept as a custom one. */
  derivedTitles?: readonly string[];
}

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/** A valid id is shown in notes; anything else read from a file is not echoed back. */
const shownId = (value: string): string => (isValidSessionId(value) ? JSON.stringify(value) : "(not a valid id)");

function normalisedTime(value: unknown, key: string, zone: string): string | undefined {
  const given = text(value);
  if (given === undefined) return undefined;
  const iso = toIsoUtc(given, zone);
  if (iso === null) throw new Error(`metadata.${key} is not a date`);
  return iso;
}

/**
 * The save input that recreates a session envelope in the legacy shape (a legacy file, or the
 * Python Victor's stored envelope) losslessly: legacy defaults for missing keys, every unknown key
 * kept, timestamps normalised (naive ones read in `timeZone`). The caller adds where it came from.
 */
export function envelopeToInput(session: LegacySession, ctx: EnvelopeContext): Conversion {
  if (!isValidSessionId(ctx.sessionId)) {
    return { ok: false, reason: `the session id is not usable (${shownId(ctx.sessionId)}: ids are letters, digits, '.', '_', '=' or '-', starting with a letter or digit, at most 128)` };
  }
  const original = session.metadata ?? null;
  const metadata: Record<string, unknown> = { ...(original ?? {}) };
  const notes: string[] = [];
  if (original === null) notes.push("no metadata: legacy defaults used");
  const givenId = typeof original?.session_id === "string" ? original.session_id : undefined;
  if (givenId !== undefined && givenId !== "" && givenId !== ctx.sessionId) {
    notes.push(`metadata.session_id is ${shownId(givenId)}; ${JSON.stringify(ctx.sessionId)} is used as the id`);
  }
  let createdAt: string | undefined;
  let updatedAt: string | undefined;
  try {
    createdAt = normalisedTime(metadata.created_at, "created_at", ctx.timeZone);
    updatedAt = normalisedTime(metadata.updated_at, "updated_at", ctx.timeZone);
  } catch (error) {
    return { ok: false, reason: `not a valid Victor session: ${(error as Error).message}` };
  }
  // Keys that the core reads from metadata with meanings the legacy format never had.
  delete metadata.parent_id;
  delete metadata.revision;
  for (const key of ["model", "provider", "profile", "title", "tags"]) if (metadata[key] === null) delete metadata[key];
  if (typeof metadata.title === "string" && ctx.derivedTitles?.includes(metadata.title)) metadata.title_is_custom = false;
  const envelope = {
    ...session,
    metadata: { ...metadata, session_id: ctx.sessionId, created_at: createdAt ?? updatedAt ?? ctx.fallbackTime, updated_at: updatedAt ?? createdAt ?? ctx.fallbackTime },
    conversation_state: session.conversation_state ?? null,
    tool_selection_stats: session.tool_selection_stats ?? null,
  } as unknown as Session;
  const input = toSaveInput(envelope);
  input.parentId = null;
  return { ok: true, input, notes };
}

/**
 * The save input that recreates a legacy session file losslessly: id from the file name, and the
 * file's original metadata under `legacy` (with the file's path: it links the session to the file).
 */
export function convertLegacySession(session: LegacySession, ctx: ConvertContext): Conversion {
  const converted = envelopeToInput(session, { sessionId: ctx.sessionId, fallbackTime: ctx.fileTime, timeZone: ctx.timeZone ?? "local" });
  if (!converted.ok) {
    return converted.reason.startsWith("the session id")
      ? { ok: false, reason: `file name is not a valid session id (${JSON.stringify(ctx.sessionId)}: ids are letters, digits, '.', '_', '=' or '-', starting with a letter or digit, at most 128)` }
      : converted;
  }
  const notes = converted.notes.map((n) => n.replace(/^no metadata:/, "no metadata in the file:").replace(/; (".*") is used as the id$/, "; the file name $1 is used as the id"));
  converted.input.metadataExtra = { ...converted.input.metadataExtra, legacy: { file: ctx.sourcePath, metadata: session.metadata ?? null } };
  return { ok: true, input: converted.input, notes };
}

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
}

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

function checkTime(value: unknown, key: string): string | undefined {
  const given = text(value);
  if (given === undefined) return undefined;
  if (toIsoUtc(given) === null) throw new Error(`metadata.${key} is not a date: ${JSON.stringify(given.slice(0, 40))}`);
  return given;
}

/**
 * The save input that recreates a legacy session losslessly: id from the file name, legacy defaults
 * for missing keys, every unknown key kept, and the file's original metadata under `legacy`.
 */
export function convertLegacySession(session: LegacySession, ctx: ConvertContext): Conversion {
  if (!isValidSessionId(ctx.sessionId)) {
    return { ok: false, reason: `file name is not a valid session id (${JSON.stringify(ctx.sessionId)}: ids are letters, digits, '.', '_', '=' or '-', starting with a letter or digit, at most 128)` };
  }
  const original = session.metadata ?? null;
  const metadata: Record<string, unknown> = { ...(original ?? {}) };
  const notes: string[] = [];
  if (original === null) notes.push("no metadata in the file: legacy defaults used");
  const fileId = typeof original?.session_id === "string" ? original.session_id : undefined;
  if (fileId !== undefined && fileId !== "" && fileId !== ctx.sessionId) {
    notes.push(`metadata.session_id is ${JSON.stringify(fileId)}; the file name ${JSON.stringify(ctx.sessionId)} is used as the id`);
  }
  let createdAt: string | undefined;
  let updatedAt: string | undefined;
  try {
    createdAt = checkTime(metadata.created_at, "created_at");
    updatedAt = checkTime(metadata.updated_at, "updated_at");
  } catch (error) {
    return { ok: false, reason: `not a valid Victor session: ${(error as Error).message}` };
  }
  // Keys that the core reads from metadata with meanings the legacy format never had.
  delete metadata.parent_id;
  delete metadata.revision;
  for (const key of ["model", "provider", "profile", "title", "tags"]) if (metadata[key] === null) delete metadata[key];
  const envelope = {
    ...session,
    metadata: { ...metadata, session_id: ctx.sessionId, created_at: createdAt ?? updatedAt ?? ctx.fileTime, updated_at: updatedAt ?? createdAt ?? ctx.fileTime },
    conversation_state: session.conversation_state ?? null,
    tool_selection_stats: session.tool_selection_stats ?? null,
  } as unknown as Session;
  const input = toSaveInput(envelope);
  input.parentId = null;
  input.metadataExtra = { ...input.metadataExtra, legacy: { file: ctx.sourcePath, metadata: original } };
  return { ok: true, input, notes };
}

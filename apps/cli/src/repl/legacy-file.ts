import { isValidSessionId, legacySessionDirs, toSaveInput, InvalidSessionIdError, type Conversation, type SaveSessionInput, type Session } from "@victor/core";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CliError } from "../errors.js";

export interface LegacySession {
  path: string;
  /** The session as a save input under the file's stem (what /load used as the id). */
  input: SaveSessionInput & { sessionId: string };
  title: string;
  /** True when the file was cut short and rebuilt from what precedes the cut. */
  recovered: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Finds `<id>.json` in the legacy folders (project first: it is the newer location). */
export function findLegacyFile(id: string, cwd: string): string | null {
  if (!isValidSessionId(id)) throw new InvalidSessionIdError(id);
  for (const dir of legacySessionDirs(cwd).reverse()) {
    const path = join(dir, `${id}.json`);
    if (existsSync(path)) return path;
  }
  return null;
}

/**
 * The oldest release could not serialise its state and stopped right after `"conversation_state": `.
 * Everything before is intact: close the object there.
 */
function recoverTruncated(text: string): unknown | undefined {
  const match = /,\s*"conversation_state"\s*:\s*$/.exec(text);
  if (!match) return undefined;
  try {
    return JSON.parse(`${text.slice(0, match.index)}\n}`);
  } catch {
    return undefined;
  }
}

/** Reads a legacy JSON session file without modifying it; a damaged file is a clear error. */
export function readLegacySession(path: string, id: string): LegacySession {
  const buffer = readFileSync(path);
  const fail = (reason: string): never => {
    throw new CliError(`Cannot load ${path}: ${reason}. The file was not changed.`);
  };
  if (buffer.length === 0) fail("the file is empty");
  const text = new TextDecoder("utf-8", { fatal: false }).decode(buffer).replace(/^\uFEFF/, "");
  let value: unknown;
  let recovered = false;
  try {
    value = JSON.parse(text);
  } catch (error) {
    value = recoverTruncated(text);
    if (value === undefined) fail(`not valid JSON (${(error as Error).message})`);
    recovered = true;
  }
  if (!isObject(value)) return fail("not a session (expected a JSON object)");
  const conversation = value.conversation;
  if (!isObject(conversation) || !Array.isArray(conversation.messages)) return fail('not a Victor session (no "conversation.messages" list)');
  const messages = conversation.messages.filter((m): m is Record<string, unknown> & { role: string } => isObject(m) && typeof m.role === "string");
  if (messages.length !== conversation.messages.length) fail("some messages have no role");
  const metadata = isObject(value.metadata) ? value.metadata : {};
  const session = {
    ...value,
    metadata: { ...metadata, session_id: id },
    conversation: { ...conversation, messages } as Conversation,
    conversation_state: value.conversation_state ?? null,
    tool_selection_stats: value.tool_selection_stats ?? null,
  } as Session;
  const input = toSaveInput(session);
  // The file's metadata.session_id may differ from its name; the name is the id /load used.
  if (typeof metadata.session_id === "string" && metadata.session_id !== id) {
    input.metadataExtra = { ...input.metadataExtra, legacy_session_id: metadata.session_id };
  }
  const title = typeof metadata.title === "string" ? metadata.title : "";
  return { path, input, title, recovered };
}

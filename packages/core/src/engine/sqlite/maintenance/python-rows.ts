import type Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { quoteId } from "../python-schema.js";
import type { PythonDatabaseInfo, PythonRow, PythonSessionRecord } from "./types.js";

function plain(row: Record<string, unknown>): PythonRow {
  const out: PythonRow = {};
  for (const [key, value] of Object.entries(row)) {
    if (Buffer.isBuffer(value)) out[key] = { base64: value.toString("base64") };
    else if (typeof value === "bigint") out[key] = Number(value);
    else out[key] = value as string | number | null;
  }
  return out;
}

/** The key a row is stored under: ConversationStore rows have session_id, guide rows id (a mixed table has both). */
function rowKey(row: PythonRow): string | null {
  for (const column of ["session_id", "id"]) {
    const value = row[column];
    if (typeof value === "string" && value !== "") return value;
    if (typeof value === "number") return String(value);
  }
  return null;
}

function fingerprint(row: PythonRow, messages: PythonRow[]): { sha256: string; size: number } {
  const text = JSON.stringify({ row, messages });
  const bytes = Buffer.from(text, "utf8");
  return { sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.length };
}

/**
 * Reads every session of a Python Victor store, one at a time (memory stays flat): keys first,
 * then each session's row and its messages — better-sqlite3 cannot run other statements on the
 * connection while an iterator is open, and the caller may be writing on it (the in-place upgrade).
 * Messages come in the order the Python Victor replayed them: insertion order for the guide's
 * integer ids, `timestamp` then insertion order for ConversationStore rows.
 */
export function* readPythonSessions(sqlite: Database.Database, info: PythonDatabaseInfo): Generator<PythonSessionRecord> {
  const { sessions, messages, providers } = info.tables;
  const keyColumns = ["session_id", "id"].filter((c) => info.sessionColumns.includes(c));
  const rowids = sqlite.prepare(`SELECT rowid FROM ${quoteId(sessions)} ORDER BY rowid`).pluck().all() as number[];
  const sessionRow = sqlite.prepare(`SELECT * FROM ${quoteId(sessions)} WHERE rowid = ?`);
  const order = info.messageColumns.includes("timestamp") ? `${quoteId("timestamp")}, rowid` : "rowid";
  const messageRows = sqlite.prepare(`SELECT * FROM ${quoteId(messages)} WHERE session_id = ? ORDER BY ${order}`);
  const providerName =
    providers && info.sessionColumns.includes("provider_id") ? sqlite.prepare(`SELECT name FROM ${quoteId(providers)} WHERE id = ?`).pluck() : null;
  for (const rowid of rowids) {
    const raw = sessionRow.get(rowid) as Record<string, unknown> | undefined;
    if (!raw) continue;
    const row = plain(raw);
    const key = rowKey(keyColumns.length > 0 ? row : {});
    const rows = key === null ? [] : (messageRows.all(key) as Record<string, unknown>[]).map(plain);
    const provider = providerName && row.provider_id !== null && row.provider_id !== undefined ? ((providerName.get(row.provider_id) as string | undefined) ?? null) : null;
    yield { table: "sessions", key: key ?? `rowid:${rowid}`, row, messages: rows, providerName: provider, ...fingerprint(row, rows) };
  }
}

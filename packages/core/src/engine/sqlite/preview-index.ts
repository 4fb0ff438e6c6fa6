import type Database from "better-sqlite3";

/**
 * Preview sidecars (conversation.preview_messages: file previews shown in a chat, never sent to a
 * model) are searchable: every text value in them — content, path, language, body — is one row of
 * preview_fts per session (migration 0005).
 */
export function previewText(previews: unknown): string {
  if (!Array.isArray(previews) || previews.length === 0) return "";
  const parts: string[] = [];
  // An explicit stack, in document order: a hostile file may nest values thousands of levels deep.
  const stack: unknown[] = [previews];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === "string") parts.push(value);
    else if (value !== null && typeof value === "object") stack.push(...Object.values(value).reverse());
  }
  return parts.join("\n");
}

const statements = new WeakMap<Database.Database, { remove: Database.Statement<[string]>; insert: Database.Statement<[string, string]> }>();

// Prepared on first use: a database opened read-only before its migration has no preview_fts yet.
function statementsFor(sqlite: Database.Database) {
  let prepared = statements.get(sqlite);
  if (!prepared) {
    prepared = {
      remove: sqlite.prepare(`DELETE FROM preview_fts WHERE session_id = ?`),
      insert: sqlite.prepare(`INSERT INTO preview_fts(session_id, content) VALUES (?, ?)`),
    };
    statements.set(sqlite, prepared);
  }
  return prepared;
}

/** Rewrites a session's preview row when its previews changed (inside the save's transaction). */
export function updatePreviewIndex(sqlite: Database.Database, sessionId: string, before: string, after: string, isNew: boolean): void {
  if (before === after && !isNew) return;
  if (before === "" && after === "") return;
  const { remove, insert } = statementsFor(sqlite);
  if (!isNew) remove.run(sessionId);
  if (after !== "") insert.run(sessionId, after);
}

/** Every session's preview row again, from the sessions' data (`victor sessions reindex`). */
export function rebuildPreviewIndex(sqlite: Database.Database): void {
  sqlite.exec(`DELETE FROM preview_fts`);
  const insert = sqlite.prepare(`INSERT INTO preview_fts(session_id, content) VALUES (?, ?)`);
  const rows = sqlite.prepare(`SELECT id, json_extract(data, '$.conversation.preview_messages') AS previews FROM sessions WHERE json_valid(data)`).all() as { id: string; previews: string | null }[];
  for (const row of rows) {
    const text = row.previews ? previewText(JSON.parse(row.previews)) : "";
    if (text !== "") insert.run(row.id, text);
  }
}

// The floor: the work of Victor's session store (same tables, same indexes, FTS5 filled in the write
// transaction, incremental saves, the same search rules) written straight on better-sqlite3 with
// nothing else: no ORM, no validation beyond what SQLite needs, raw row arrays, no typed errors.
// `pnpm bench` runs the same workload through this and through @victor/core in the same run and
// prints the ratio. Used only by benchmarks: never by a program, never by a test of the product.
import Database from "better-sqlite3";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, provider TEXT NOT NULL DEFAULT '', model TEXT NOT NULL DEFAULT '',
  profile TEXT NOT NULL DEFAULT 'default', data TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  message_count INTEGER NOT NULL DEFAULT 0, revision INTEGER NOT NULL DEFAULT 1, parent_id TEXT, search_title TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS sessions_updated_at_idx ON sessions (updated_at);
CREATE INDEX IF NOT EXISTS sessions_created_at_idx ON sessions (created_at);
CREATE TABLE IF NOT EXISTS messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  position INTEGER NOT NULL, role TEXT NOT NULL, content TEXT, name TEXT, tool_calls TEXT, tool_call_id TEXT, extra TEXT,
  created_at TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS messages_session_position_idx ON messages (session_id, position);
CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(content, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER IF NOT EXISTS messages_fts_ad AFTER DELETE ON messages WHEN old.content IS NOT NULL BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
CREATE TABLE IF NOT EXISTS legacy_imports (
  source_path TEXT PRIMARY KEY NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL, session_id TEXT,
  outcome TEXT NOT NULL, reason TEXT, imported_at TEXT NOT NULL, revision INTEGER);
INSERT INTO messages_fts(messages_fts, rank) VALUES ('automerge', 16);
`;

const SUMMARY = `id, name, model, provider, profile, message_count, created_at, updated_at, parent_id, revision,
  json_extract(data, '$.tags') AS tags, json_array_length(data, '$.conversation.preview_messages') AS preview_count`;
const TOO_COMMON = 1000;
const STANDARD = new Set(["role", "content", "name", "tool_calls", "tool_call_id"]);

const fold = (text) => text.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase();

function deriveTitle(messages) {
  const first = messages.find((m) => m.role === "user" && typeof m.content === "string");
  const text = first ? first.content.replace(/\s+/g, " ").trim() : "";
  if (text === "") return "Untitled Session";
  const chars = Array.from(text);
  return chars.length > 50 ? `${chars.slice(0, 47).join("")}...` : text;
}

/** A message as its row: the five standard columns, every other key as JSON in `extra`. */
function encode(m) {
  let extra = null;
  for (const key in m) {
    if (STANDARD.has(key)) continue;
    (extra ??= {})[key] = m[key];
  }
  return [m.role, m.content ?? null, m.name ?? null, m.tool_calls == null ? null : JSON.stringify(m.tool_calls), m.tool_call_id ?? null, extra && JSON.stringify(extra)];
}

function decode(row) {
  const m = { role: row[0], content: row[1], name: row[2], tool_calls: row[3] === null ? null : JSON.parse(row[3]), tool_call_id: row[4] };
  return row[5] === null ? m : Object.assign(m, JSON.parse(row[5]));
}

function searchWords(query) {
  return [...query.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]).filter((w) => /[\p{L}\p{N}]/u.test(w));
}

function snippet(content, words) {
  const lower = content.toLowerCase();
  const at = Math.max(0, Math.min(...words.map((w) => lower.indexOf(fold(w))).filter((i) => i >= 0)));
  return (at > 24 ? "…" : "") + content.slice(Math.max(0, at - 24), at + 72).replace(/\s+/g, " ");
}

export class FloorStore {
  /** Per session: the revision and the message objects last saved or loaded (compared by identity). */
  #snapshots = new Map();

  constructor(path) {
    const db = new Database(path);
    db.pragma("busy_timeout = 10000");
    db.pragma("foreign_keys = ON");
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("wal_autocheckpoint = 10000");
    if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'sessions'`).get()) db.exec(SCHEMA);
    this.db = db;
    this.s = {
      head: db.prepare(`SELECT revision, message_count, created_at FROM sessions WHERE id = ?`).raw(),
      row: db.prepare(`SELECT id, name, model, provider, profile, data, created_at, updated_at, message_count, revision, parent_id FROM sessions WHERE id = ?`).raw(),
      messages: db.prepare(`SELECT role, content, name, tool_calls, tool_call_id, extra FROM messages WHERE session_id = ? ORDER BY position`).raw(),
      messagesFrom: db.prepare(`SELECT role, content, name, tool_calls, tool_call_id, extra FROM messages WHERE session_id = ? AND position >= ? ORDER BY position`).raw(),
      insertSession: db.prepare(`INSERT INTO sessions (id, name, search_title, provider, model, profile, data, created_at, updated_at, message_count, revision, parent_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, NULL)`),
      updateSession: db.prepare(`UPDATE sessions SET name = ?, search_title = ?, data = ?, updated_at = ?, message_count = ?, revision = revision + 1 WHERE id = ?`),
      insertMessage: db.prepare(`INSERT INTO messages (session_id, position, role, content, name, tool_calls, tool_call_id, extra, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      deleteFrom: db.prepare(`DELETE FROM messages WHERE session_id = ? AND position >= ?`),
      lastMessageId: db.prepare(`SELECT coalesce(max(id), 0) FROM messages`).pluck(),
      index: db.prepare(`INSERT INTO messages_fts(rowid, content) SELECT id, content FROM messages WHERE id > ? AND content IS NOT NULL`),
      list: db.prepare(`SELECT ${SUMMARY} FROM sessions ORDER BY updated_at DESC, id DESC LIMIT ?`),
      count: db.prepare(`SELECT count(*) FROM sessions`).pluck(),
      ledgerGet: db.prepare(`SELECT size, sha256 FROM legacy_imports WHERE source_path = ?`).raw(),
      ledgerPut: db.prepare(`INSERT INTO legacy_imports (source_path, size, sha256, session_id, outcome, reason, imported_at, revision) VALUES (?, ?, ?, ?, 'imported', NULL, ?, 1)
        ON CONFLICT (source_path) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256, session_id = excluded.session_id, outcome = excluded.outcome, imported_at = excluded.imported_at, revision = excluded.revision`),
      newest: db.prepare(`SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid DESC LIMIT ?`).pluck(),
      ranked: db.prepare(`SELECT rowid, bm25(messages_fts) FROM messages_fts WHERE messages_fts MATCH ?`).raw(),
      locate: db.prepare(`SELECT m.id, m.session_id FROM json_each(?) AS j JOIN messages m ON m.id = j.value`).raw(),
      titles: db.prepare(`SELECT id FROM sessions WHERE search_title LIKE ? ORDER BY updated_at DESC LIMIT ?`).pluck(),
      summaries: db.prepare(`SELECT ${SUMMARY} FROM sessions WHERE id IN (SELECT value FROM json_each(?))`),
      content: db.prepare(`SELECT content FROM messages WHERE id = ?`).pluck(),
    };
  }

  static async open(path) {
    return new FloorStore(path);
  }

  #write(fn) {
    return this.db.transaction(fn).immediate();
  }

  /** Writes one session; only the messages after the unchanged prefix (the snapshot's, by identity). */
  #save(input, now) {
    const { conversation } = input;
    const { messages, ...fields } = conversation;
    const title = input.title ?? deriveTitle(messages);
    const data = JSON.stringify({ conversation: fields, conversation_state: input.conversationState ?? null, tool_selection_stats: null, tags: input.tags ?? [], title_is_custom: input.title !== undefined });
    const id = input.sessionId;
    const updatedAt = input.updatedAt ?? now;
    const head = this.s.head.get(id);
    let from = 0;
    if (!head) {
      this.s.insertSession.run(id, title, fold(title), input.provider ?? "", input.model ?? "", input.profile ?? "default", data, input.createdAt ?? updatedAt, updatedAt, messages.length);
    } else {
      const snapshot = this.#snapshots.get(id);
      if (snapshot && snapshot.revision === head[0]) while (from < snapshot.messages.length && snapshot.messages[from] === messages[from]) from++;
      else for (const row of this.s.messagesFrom.iterate(id, 0)) if (JSON.stringify(row) === JSON.stringify(encode(messages[from] ?? {}))) from++; else break;
      if (from < head[1]) this.s.deleteFrom.run(id, from);
      this.s.updateSession.run(title, fold(title), data, updatedAt, messages.length, id);
    }
    for (let i = from; i < messages.length; i++) this.s.insertMessage.run(id, i, ...encode(messages[i]), updatedAt);
    const revision = head ? head[0] + 1 : 1;
    return { sessionId: id, revision, snapshot: { revision, messages: messages.slice() } };
  }

  async saveSession(input) {
    const now = new Date().toISOString();
    const saved = this.#write(() => {
      const before = this.s.lastMessageId.get();
      const result = this.#save({ ...input, sessionId: input.sessionId ?? `s_${now}` }, now);
      this.s.index.run(before);
      return result;
    });
    this.#snapshots.set(saved.sessionId, saved.snapshot);
    return { sessionId: saved.sessionId, revision: saved.revision };
  }

  async deleteSession(id) {
    this.#snapshots.delete(id);
    return this.#write(() => this.db.prepare(`DELETE FROM sessions WHERE id = ?`).run(id).changes > 0);
  }

  async loadSession(id) {
    return this.db.transaction(() => {
      const row = this.s.row.get(id);
      if (!row) return null;
      const messages = this.s.messages.all(id).map(decode);
      this.#snapshots.set(id, { revision: row[9], messages: messages.slice() });
      const data = JSON.parse(row[5]);
      return {
        metadata: { session_id: row[0], title: row[1], model: row[2], provider: row[3], profile: row[4], created_at: row[6], updated_at: row[7], message_count: row[8], revision: row[9], parent_id: row[10], tags: data.tags },
        conversation: { ...data.conversation, messages },
        conversation_state: data.conversation_state,
        tool_selection_stats: data.tool_selection_stats,
      };
    })();
  }

  async listSessions({ limit = 10 } = {}) {
    return this.s.list.all(limit);
  }

  async countSessions() {
    return this.s.count.get();
  }

  /** Title substring matches first, then sessions by their best message (bm25; newest matches for a word in > 1,000 messages). */
  async searchSessions(query, { limit = 10 } = {}) {
    const words = searchWords(query);
    if (words.length === 0) return [];
    const quoted = (prefix) => words.map((w) => `"${w.replace(/"/g, '""')}"${prefix ? "*" : ""}`).join(" ");
    const titleIds = this.s.titles.all(`%${fold(query.trim())}%`, limit);
    // The exact words first: their newest matches come straight off the index; a prefix query merges every matching term.
    let newest = this.s.newest.all(quoted(false), TOO_COMMON + 1);
    if (newest.length <= TOO_COMMON) newest = this.s.newest.all(quoted(true), TOO_COMMON + 1);
    const scored = newest.length > TOO_COMMON ? newest.slice(0, TOO_COMMON).map((rowid, i) => [rowid, i]) : this.s.ranked.all(quoted(true));
    const where = new Map(this.s.locate.all(JSON.stringify(scored.map((s) => s[0]))));
    const best = new Map();
    for (const [rowid, score] of scored) {
      const session = where.get(rowid);
      const current = best.get(session);
      if (!current || score < current[1]) best.set(session, [rowid, score]);
    }
    const byContent = [...best].filter(([id]) => !titleIds.includes(id)).sort((a, b) => a[1][1] - b[1][1] || b[1][0] - a[1][0]).map(([id]) => id);
    const ids = [...titleIds, ...byContent].slice(0, limit);
    const rows = new Map(this.s.summaries.all(JSON.stringify(ids)).map((r) => [r.id, r]));
    return ids.map((id) => {
      const hit = best.get(id);
      return { ...rows.get(id), snippet: hit ? snippet(this.s.content.get(hit[0]), words) : rows.get(id).name };
    });
  }

  /**
   * Many sessions in one transaction, the full-text index filled once for the batch; a session whose
   * id exists is skipped, an item with a `source` is recorded in the ledger (and skipped when the
   * ledger has it with the same size and hash).
   */
  async importSessions(items) {
    const now = new Date().toISOString();
    return this.#write(() => {
      const before = this.s.lastMessageId.get();
      const results = items.map(({ input, source }) => {
        if (source) {
          const known = this.s.ledgerGet.get(source.key);
          if (known && known[0] === source.size && known[1] === source.sha256) return { sessionId: input.sessionId, status: "unchanged" };
        }
        if (this.s.head.get(input.sessionId)) return { sessionId: null, status: "skipped-conflict" };
        this.#save(input, now);
        if (source) this.s.ledgerPut.run(source.key, source.size, source.sha256, input.sessionId, now);
        return { sessionId: input.sessionId, status: "created" };
      });
      this.s.index.run(before);
      return results;
    });
  }

  async close() {
    this.db.close();
  }
}

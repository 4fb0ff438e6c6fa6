import { and, asc, count, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import { InvalidSessionIdError, SessionExistsError } from "../../domain/errors.js";
import { prefixUpperBound, resolveFromCandidates } from "../../domain/id-resolution.js";
import { assertValidSessionId, isValidSessionId, suffixedSessionId } from "../../domain/ids.js";
import type { MessageRow } from "../../domain/message-codec.js";
import type { SessionDataColumn } from "../../domain/session-data.js";
import type { SessionRowLike, SummaryRow } from "../../domain/session-data.js";
import type { MessageWrite, SessionWrite } from "../sqlite/access.js";
import type { LedgerEntry, SessionOrder, StoreStats } from "../../domain/types.js";
import type { PgConnection, PgExecutor } from "./connection.js";
import { isUniqueViolation, toVictorErrorPg } from "./pg-errors.js";
import { legacyImports, messages, sessions, syncLedger } from "./schema.js";
import { searchSessionsPg } from "./search.js";
import { toStorableMessageRow, toStorableSessionText, withExactText } from "./storable-text.js";
import { summaryColumns, toSummaryRow } from "./summary.js";

export interface PgScope {
  /** The project key (see project-key.ts): every query is limited to it. */
  project: string;
  /** The server, without password, for error messages. */
  target: string;
}

/** A session's columns as the PostgreSQL engine writes them: the SQLite ones plus who and where. */
export interface PgSessionWrite extends SessionWrite {
  /** The host name the save came from; kept on update when omitted. */
  machine?: string;
  /** Visible to every victor_writer/victor_reader; kept on update when omitted. */
  shared?: boolean;
}

export interface SessionHead {
  id: string;
  revision: number;
  message_count: number;
  name: string;
  data: SessionDataColumn;
  created_at: string;
}

/** A session's push/pull bookkeeping against one remote; see schema.ts syncLedger. */
export interface SyncEntry {
  remote: string;
  sessionId: string;
  localRevision: number;
  remoteRevision: number;
  contentHash: string;
  direction: "push" | "pull";
  syncedAt: string;
}

/** Most ids a prefix lookup reads: enough to list candidates of an ambiguous prefix. */
const PREFIX_CANDIDATES = 50;

const messageRowColumns = {
  role: messages.role,
  content: messages.content,
  name: messages.name,
  tool_calls: messages.tool_calls,
  tool_call_id: messages.tool_call_id,
  extra: messages.extra,
};

/**
 * The message rows the PostgreSQL engine stores for a codec row: text it cannot hold moves to
 * `extra` (see storable-text.ts). The save plan must compare stored rows with rows made by this,
 * not by encodeMessage alone, or such messages would be rewritten on every save.
 */
export const toPgMessageRow = toStorableMessageRow;

function ledgerFromRow(row: typeof legacyImports.$inferSelect): LedgerEntry {
  return {
    sourcePath: row.source_path,
    size: row.size,
    sha256: row.sha256,
    sessionId: row.session_id,
    outcome: row.outcome as LedgerEntry["outcome"],
    reason: row.reason,
    importedAt: row.imported_at,
    revision: row.revision,
  };
}

function syncEntryFromRow(row: typeof syncLedger.$inferSelect): SyncEntry {
  return {
    remote: row.remote,
    sessionId: row.session_id,
    localRevision: row.local_revision,
    remoteRevision: row.remote_revision,
    contentHash: row.content_hash,
    direction: row.direction as SyncEntry["direction"],
    syncedAt: row.synced_at,
  };
}

/** The columns of an insert or update: text PostgreSQL cannot store is cleaned, its exact value kept. */
function sessionColumns(row: PgSessionWrite) {
  const { columns, exact } = toStorableSessionText({
    name: row.name,
    search_title: row.search_title,
    provider: row.provider,
    model: row.model,
    profile: row.profile,
  });
  return {
    ...columns,
    // The domain hands over the JSON text it also gives SQLite; drizzle would encode it again.
    data: sql`${row.data}::json`,
    created_at: row.created_at,
    updated_at: row.updated_at,
    message_count: row.message_count,
    exact_text: exact,
    ...(row.machine === undefined ? {} : { machine: row.machine }),
    ...(row.shared === undefined ? {} : { shared: row.shared }),
  };
}

const ORDERS: Record<SessionOrder, SQL[]> = {
  updated: [desc(sessions.updated_at), desc(sessions.id)],
  created: [desc(sessions.created_at), desc(sessions.id)],
  title: [asc(sessions.name), desc(sessions.updated_at)],
};

/**
 * Every query the session store runs on PostgreSQL, limited to one project. Typed with drizzle;
 * raw SQL only for full-text search (search.ts). Errors come out as the same typed errors as on
 * SQLite (pg-errors.ts). Run writes inside pgTransaction so they commit or roll back together.
 */
export function pgAccess(db: PgExecutor, scope: PgScope) {
  const { project } = scope;
  const inProject = (id: string) => and(eq(sessions.project, project), eq(sessions.id, id));
  const idRange = (prefix: string) => and(eq(sessions.project, project), gte(sessions.id, prefix), lt(sessions.id, prefixUpperBound(prefix)));
  const messagesOf = (id: string) => and(eq(messages.project, project), eq(messages.session_id, id));

  const queries = {
    /** The row a save starts from; `forUpdate` locks it until the transaction ends (no lost updates). */
    async sessionHead(id: string, options: { forUpdate?: boolean } = {}): Promise<SessionHead | null> {
      const query = db
        .select({ id: sessions.id, revision: sessions.revision, message_count: sessions.message_count, name: sessions.name, data: sessions.data, created_at: sessions.created_at, exact_text: sessions.exact_text })
        .from(sessions)
        .where(inProject(id));
      const [row] = options.forUpdate ? await query.for("update") : await query;
      if (!row) return null;
      const { exact_text, ...head } = row;
      return withExactText(head, exact_text);
    },

    async sessionExists(id: string): Promise<boolean> {
      const rows = await db.select({ id: sessions.id }).from(sessions).where(inProject(id));
      return rows.length > 0;
    },

    /** The whole session row, as loadSession needs it. */
    async sessionRow(id: string): Promise<(SessionRowLike & { owner: string; machine: string; shared: boolean }) | null> {
      const [row] = await db.select().from(sessions).where(inProject(id));
      if (!row) return null;
      const { exact_text, project: _project, search_title: _searchTitle, ...rest } = row;
      return withExactText(rest, exact_text);
    },

    /** Creates a session under an id the caller chose; SessionExistsError if it is taken (even by a row this role cannot see). */
    async insertSession(row: PgSessionWrite & { revision: number }): Promise<void> {
      try {
        await db.insert(sessions).values({ project, id: row.id, parent_id: row.parent_id, revision: row.revision, ...sessionColumns(row) });
      } catch (error) {
        if (isUniqueViolation(error, "sessions_pkey")) throw new SessionExistsError(row.id);
        throw error;
      }
    },

    /**
     * Creates a session under the first free id of `base`, `base_2`, `base_3`, … Race-free: each
     * try is one INSERT … ON CONFLICT DO NOTHING, so two writers can never take the same id (the
     * second waits for the first to commit, then moves on to the next suffix).
     */
    async insertSessionWithFreshId(base: string, row: Omit<PgSessionWrite, "id"> & { revision: number }): Promise<string> {
      const values = { project, parent_id: row.parent_id, revision: row.revision, ...sessionColumns({ ...row, id: base }) };
      for (let attempt = 1; ; attempt++) {
        const id = suffixedSessionId(base, attempt);
        const inserted = await db
          .insert(sessions)
          .values({ ...values, id })
          .onConflictDoNothing({ target: [sessions.project, sessions.id] })
          .returning({ id: sessions.id });
        if (inserted.length > 0) return id;
      }
    },

    /** Rewrites a session's columns and bumps its revision; the new revision, or null if it is gone. */
    async updateSession(row: PgSessionWrite): Promise<number | null> {
      const [updated] = await db
        .update(sessions)
        .set({
          ...sessionColumns(row),
          revision: sql`${sessions.revision} + 1`,
          parent_id: sql`coalesce(${row.parent_id}::text, ${sessions.parent_id})`,
        })
        .where(inProject(row.id))
        .returning({ revision: sessions.revision });
      return updated?.revision ?? null;
    },

    /** A new user title (rename): bumps the revision; the new revision, or null if the session is gone. */
    async updateTitle(id: string, title: { name: string; search_title: string; data: string; updated_at: string }): Promise<number | null> {
      // The exact text of the other columns stays; the title's is replaced. Merged here, not in
      // SQL: jsonb would reject the very \u0000 and lone-surrogate escapes this column exists for.
      const [current] = await db.select({ exact_text: sessions.exact_text }).from(sessions).where(inProject(id)).for("update");
      if (!current) return null;
      const { columns, exact } = toStorableSessionText({ name: title.name, search_title: title.search_title, provider: "", model: "", profile: "" });
      const { name: _name, search_title: _searchTitle, ...others } = current.exact_text ?? {};
      const merged = { ...others, ...exact };
      const [updated] = await db
        .update(sessions)
        .set({
          name: columns.name,
          search_title: columns.search_title,
          data: sql`${title.data}::json`,
          updated_at: title.updated_at,
          revision: sql`${sessions.revision} + 1`,
          exact_text: Object.keys(merged).length > 0 ? merged : null,
        })
        .where(inProject(id))
        .returning({ revision: sessions.revision });
      return updated?.revision ?? null;
    },

    /** Drops the messages at `from` and after (a save whose stored prefix ends there). */
    async deleteMessagesFrom(id: string, from: number): Promise<number> {
      const deleted = await db.delete(messages).where(and(messagesOf(id), gte(messages.position, from)));
      return deleted.rowCount ?? 0;
    },

    /**
     * Appends messages (already encoded by the codec; made storable here) in one statement
     * whatever their number: one array per column, unnested by the server. Raw SQL because
     * drizzle's multi-row VALUES (10 parameters a row, in batches under the 65,535 limit) took
     * 2.4 times as long (measured: 10,000 messages, 1.25 s vs 0.53 s).
     */
    async insertMessages(rows: readonly MessageWrite[]): Promise<void> {
      if (rows.length === 0) return;
      const stored: MessageWrite[] = rows.map((row) => ({ ...row, ...toStorableMessageRow(row) }));
      const column = (key: keyof MessageWrite) => sql.param(stored.map((row) => row[key]));
      const name = (c: { name: string }) => sql.identifier(c.name);
      await db.execute(sql`
        INSERT INTO ${messages} (${name(messages.project)}, ${name(messages.session_id)}, ${name(messages.position)}, ${name(messages.role)}, ${name(messages.content)},
          ${name(messages.name)}, ${name(messages.tool_calls)}, ${name(messages.tool_call_id)}, ${name(messages.extra)}, ${name(messages.created_at)})
        SELECT ${project}, * FROM unnest(${column("session_id")}::text[], ${column("position")}::int[], ${column("role")}::text[], ${column("content")}::text[],
          ${column("name")}::text[], ${column("tool_calls")}::text[], ${column("tool_call_id")}::text[], ${column("extra")}::text[], ${column("created_at")}::text[])`);
    },

    /** A session's messages in order, from position `from` on. */
    async messagesOf(id: string, from = 0): Promise<MessageRow[]> {
      const where = from > 0 ? and(messagesOf(id), gte(messages.position, from)) : messagesOf(id);
      return db.select(messageRowColumns).from(messages).where(where).orderBy(asc(messages.position));
    },

    /** A page of summaries; `limit` < 0 = all. */
    async listSessions(options: { orderBy?: SessionOrder; limit: number; offset: number }): Promise<SummaryRow[]> {
      const query = db
        .select(summaryColumns)
        .from(sessions)
        .where(eq(sessions.project, project))
        .orderBy(...ORDERS[options.orderBy ?? "updated"])
        .offset(options.offset);
      const rows = options.limit < 0 ? await query : await query.limit(options.limit);
      return rows.map(toSummaryRow);
    },

    async summary(id: string): Promise<SummaryRow | null> {
      const [row] = await db.select(summaryColumns).from(sessions).where(inProject(id));
      return row ? toSummaryRow(row) : null;
    },

    /** Ids starting with `prefix`, in bytewise order (the same order as SQLite's). */
    async idsWithPrefix(prefix: string, limit = PREFIX_CANDIDATES): Promise<string[]> {
      assertValidSessionId(prefix);
      const rows = await db.select({ id: sessions.id }).from(sessions).where(idRange(prefix)).orderBy(asc(sessions.id)).limit(limit);
      return rows.map((r) => r.id);
    },

    /** The full id for an id or unique prefix (rules: resolveFromCandidates); typed errors otherwise. */
    async resolveId(idOrPrefix: string): Promise<string> {
      if (!isValidSessionId(idOrPrefix)) throw new InvalidSessionIdError(String(idOrPrefix));
      const candidates = await queries.idsWithPrefix(idOrPrefix, PREFIX_CANDIDATES + 1);
      return resolveFromCandidates(idOrPrefix, candidates);
    },

    /** Deletes one session (exact id) and, by cascade, its messages. */
    async deleteSession(id: string): Promise<boolean> {
      const deleted = await db.delete(sessions).where(inProject(id));
      return (deleted.rowCount ?? 0) > 0;
    },

    async deleteSessionsWithPrefix(prefix: string): Promise<number> {
      assertValidSessionId(prefix);
      const deleted = await db.delete(sessions).where(idRange(prefix));
      return deleted.rowCount ?? 0;
    },

    async deleteAllSessions(): Promise<number> {
      const deleted = await db.delete(sessions).where(eq(sessions.project, project));
      return deleted.rowCount ?? 0;
    },

    async countSessions(): Promise<number> {
      const [row] = await db.select({ n: count() }).from(sessions).where(eq(sessions.project, project));
      return row?.n ?? 0;
    },

    /** Totals for a status view, computed by the server (no session is read). */
    async stats(): Promise<StoreStats> {
      const [totals] = await db
        .select({
          sessions: count(),
          messages: sql<number>`coalesce(sum(${sessions.message_count}), 0)::int`,
          oldest: sql<string | null>`min(${sessions.created_at})`,
          newest: sql<string | null>`max(${sessions.created_at})`,
        })
        .from(sessions)
        .where(eq(sessions.project, project));
      const models = await db
        .select({ model: sessions.model, n: count() })
        .from(sessions)
        .where(eq(sessions.project, project))
        .groupBy(sessions.model)
        .orderBy(desc(count()), asc(sessions.model));
      return { ...totals!, models: Object.fromEntries(models.map((m) => [m.model, m.n])) };
    },

    /** Every id, oldest first: what an export walks through one session at a time. */
    async exportIds(): Promise<string[]> {
      const rows = await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.project, project)).orderBy(asc(sessions.created_at), asc(sessions.id));
      return rows.map((r) => r.id);
    },

    async searchSessions(query: string, limit: number) {
      return searchSessionsPg(db, project, query, limit);
    },

    /** victor-migrate's record of one source file (this role's, in this project). */
    async ledgerEntry(sourcePath: string): Promise<LedgerEntry | null> {
      const [row] = await db
        .select()
        .from(legacyImports)
        .where(and(eq(legacyImports.project, project), eq(legacyImports.owner, sql`CURRENT_USER`), eq(legacyImports.source_path, sourcePath)));
      return row ? ledgerFromRow(row) : null;
    },

    async listLedger(): Promise<LedgerEntry[]> {
      const rows = await db
        .select()
        .from(legacyImports)
        .where(and(eq(legacyImports.project, project), eq(legacyImports.owner, sql`CURRENT_USER`)))
        .orderBy(asc(legacyImports.source_path));
      return rows.map(ledgerFromRow);
    },

    async upsertLedger(entry: LedgerEntry): Promise<void> {
      const values = {
        size: entry.size,
        sha256: entry.sha256,
        session_id: entry.sessionId,
        outcome: entry.outcome,
        reason: entry.reason,
        imported_at: entry.importedAt,
        revision: entry.revision,
      };
      await db
        .insert(legacyImports)
        .values({ project, source_path: entry.sourcePath, ...values })
        .onConflictDoUpdate({ target: [legacyImports.project, legacyImports.owner, legacyImports.source_path], set: values });
    },

    /** What push/pull last agreed with `remote` about one session. */
    async syncEntry(remote: string, sessionId: string): Promise<SyncEntry | null> {
      const [row] = await db
        .select()
        .from(syncLedger)
        .where(and(eq(syncLedger.project, project), eq(syncLedger.owner, sql`CURRENT_USER`), eq(syncLedger.remote, remote), eq(syncLedger.session_id, sessionId)));
      return row ? syncEntryFromRow(row) : null;
    },

    async listSyncEntries(remote: string): Promise<SyncEntry[]> {
      const rows = await db
        .select()
        .from(syncLedger)
        .where(and(eq(syncLedger.project, project), eq(syncLedger.owner, sql`CURRENT_USER`), eq(syncLedger.remote, remote)))
        .orderBy(asc(syncLedger.session_id));
      return rows.map(syncEntryFromRow);
    },

    async upsertSyncEntry(entry: SyncEntry): Promise<void> {
      const values = {
        local_revision: entry.localRevision,
        remote_revision: entry.remoteRevision,
        content_hash: entry.contentHash,
        direction: entry.direction,
        synced_at: entry.syncedAt,
      };
      await db
        .insert(syncLedger)
        .values({ project, remote: entry.remote, session_id: entry.sessionId, ...values })
        .onConflictDoUpdate({ target: [syncLedger.project, syncLedger.owner, syncLedger.remote, syncLedger.session_id], set: values });
    },
  };
  return withTypedErrors(queries, scope.target);
}

export type PgAccess = ReturnType<typeof pgAccess>;
export type { PgExecutor };

/** Every method, with driver errors turned into the typed errors of errors.ts. */
function withTypedErrors<T extends Record<string, (...args: never[]) => Promise<unknown>>>(methods: T, target: string): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(methods)) {
    wrapped[name] = async (...args: never[]) => {
      try {
        return await method(...args);
      } catch (error) {
        throw toVictorErrorPg(error, target);
      }
    };
  }
  return wrapped as T;
}

export interface PgTransactionOptions {
  /** One consistent snapshot that writes nothing (a load: the session row and its messages agree). */
  readOnly?: boolean;
}

/**
 * Runs `fn` in one transaction: everything it wrote commits together, or nothing does (an error,
 * a killed process). `tx` is for the engine's own SQL beside the access module (maintenance). Writers lock the session row they change (sessionHead forUpdate), so saves of
 * one session queue up instead of overwriting each other; a wait past lock_timeout, a deadlock or
 * a serialization failure is a DatabaseLockedError.
 */
export async function pgTransaction<T>(
  connection: PgConnection,
  project: string,
  fn: (access: PgAccess, tx: PgExecutor) => Promise<T>,
  options: PgTransactionOptions = {},
): Promise<T> {
  const config = options.readOnly ? ({ isolationLevel: "repeatable read", accessMode: "read only" } as const) : undefined;
  try {
    return await connection.db.transaction((tx) => fn(pgAccess(tx, { project, target: connection.target }), tx), config);
  } catch (error) {
    throw toVictorErrorPg(error, connection.target);
  }
}

-- Who may do what (drizzle-kit cannot express roles, grants or policies).
-- Two group roles, NOLOGIN: people get access with one statement each, e.g.
--   CREATE ROLE alice LOGIN PASSWORD '…' IN ROLE victor_writer;
-- Roles belong to the whole server, so another database's migration may have created them
-- already, or be creating them at this very moment (then ours fails with a duplicate: fine).
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'victor_writer') THEN
    IF NOT (SELECT rolcreaterole OR rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
      RAISE EXCEPTION 'role % may not create the group roles victor_writer and victor_reader', current_user
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Run the migration as a role with CREATEROLE, or have an administrator run: CREATE ROLE victor_writer NOLOGIN; CREATE ROLE victor_reader NOLOGIN;';
    END IF;
    CREATE ROLE victor_writer NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;
--> statement-breakpoint
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'victor_reader') THEN
    CREATE ROLE victor_reader NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA victor TO victor_writer, victor_reader;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON victor.sessions, victor.messages, victor.legacy_imports, victor.sync_ledger TO victor_writer;
--> statement-breakpoint
GRANT SELECT ON victor.sessions, victor.messages, victor.legacy_imports, victor.sync_ledger, victor.__drizzle_migrations TO victor_writer, victor_reader;
--> statement-breakpoint
-- Row-level security: a role sees the rows it owns and shared sessions, and writes only its own.
-- The owner of the tables (the role that ran the migrations, an administrator) is not bound by it.
-- One SELECT policy per table (write policies are per command, not FOR ALL): several permissive
-- policies are ORed, and an EXISTS inside an OR cannot become a join, so every read of messages
-- would hash all visible sessions of the server (measured: +35 ms per query at 12,000 sessions).
ALTER TABLE victor.sessions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY sessions_select ON victor.sessions FOR SELECT TO victor_writer, victor_reader
  USING (owner = current_user OR shared);
--> statement-breakpoint
CREATE POLICY sessions_insert ON victor.sessions FOR INSERT TO victor_writer
  WITH CHECK (owner = current_user);
--> statement-breakpoint
CREATE POLICY sessions_update ON victor.sessions FOR UPDATE TO victor_writer
  USING (owner = current_user) WITH CHECK (owner = current_user);
--> statement-breakpoint
CREATE POLICY sessions_delete ON victor.sessions FOR DELETE TO victor_writer
  USING (owner = current_user);
--> statement-breakpoint
-- Messages follow their session: visible when it is, writable when it is one's own. The
-- subqueries are themselves filtered by the sessions policies, and join on the same project only.
ALTER TABLE victor.messages ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY messages_select ON victor.messages FOR SELECT TO victor_writer, victor_reader
  USING (EXISTS (SELECT FROM victor.sessions s WHERE s.project = messages.project AND s.id = messages.session_id));
--> statement-breakpoint
CREATE POLICY messages_insert ON victor.messages FOR INSERT TO victor_writer
  WITH CHECK (EXISTS (SELECT FROM victor.sessions s WHERE s.project = messages.project AND s.id = messages.session_id AND s.owner = current_user));
--> statement-breakpoint
CREATE POLICY messages_update ON victor.messages FOR UPDATE TO victor_writer
  USING (EXISTS (SELECT FROM victor.sessions s WHERE s.project = messages.project AND s.id = messages.session_id AND s.owner = current_user))
  WITH CHECK (EXISTS (SELECT FROM victor.sessions s WHERE s.project = messages.project AND s.id = messages.session_id AND s.owner = current_user));
--> statement-breakpoint
CREATE POLICY messages_delete ON victor.messages FOR DELETE TO victor_writer
  USING (EXISTS (SELECT FROM victor.sessions s WHERE s.project = messages.project AND s.id = messages.session_id AND s.owner = current_user));
--> statement-breakpoint
-- Import and sync ledgers are each role's own bookkeeping.
ALTER TABLE victor.legacy_imports ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY legacy_imports_own ON victor.legacy_imports TO victor_writer, victor_reader
  USING (owner = current_user) WITH CHECK (owner = current_user);
--> statement-breakpoint
ALTER TABLE victor.sync_ledger ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY sync_ledger_own ON victor.sync_ledger TO victor_writer, victor_reader
  USING (owner = current_user) WITH CHECK (owner = current_user);
--> statement-breakpoint
-- Full-text candidates for a search, newest first, with their rank, among the messages of the
-- sessions the caller may see. Why a SECURITY DEFINER function: under row-level security the
-- planner evaluates the policies before any condition that is not LEAKPROOF, and @@ is not, so a
-- search could never use the GIN index (measured: 1 s for a rare word over 200,000 messages,
-- instead of 0.2 ms). Running as the tables' owner, it applies the sessions policy itself, for the
-- login role (session_user): the same rule, written twice; tests check both. Dynamic SQL so each
-- call is planned for its own query (a rare word wants the index, a common one the newest rows);
-- visibility as a scalar subquery per candidate (a primary-key probe), not EXISTS: as a join it
-- let a stale row estimate for sessions pick a plan 50-400 times slower.
CREATE FUNCTION victor.search_candidates(p_project text, p_query tsquery, p_limit integer)
  RETURNS TABLE (id bigint, session_id text, "position" integer, rank real)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN QUERY EXECUTE
    'SELECT m.id, m.session_id::text, m.position, ts_rank(m.search, $2)
       FROM victor.messages m
      WHERE m.project = $1 AND m.search @@ $2
        AND ($4 OR (SELECT s.owner = session_user OR s.shared FROM victor.sessions s WHERE s.project = m.project AND s.id = m.session_id))
      ORDER BY m.id DESC LIMIT $3'
    USING p_project, p_query, p_limit,
      -- Roles that row-level security does not bind (superusers, BYPASSRLS, the tables' owner) see everything.
      (SELECT r.rolsuper OR r.rolbypassrls FROM pg_roles r WHERE r.rolname = session_user)
        OR pg_has_role(session_user, (SELECT c.relowner FROM pg_class c WHERE c.oid = 'victor.sessions'::regclass), 'USAGE');
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION victor.search_candidates(text, tsquery, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION victor.search_candidates(text, tsquery, integer) TO victor_writer, victor_reader;

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
ALTER TABLE victor.sessions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY sessions_visible ON victor.sessions FOR SELECT TO victor_writer, victor_reader
  USING (owner = current_user OR shared);
--> statement-breakpoint
CREATE POLICY sessions_own ON victor.sessions FOR ALL TO victor_writer
  USING (owner = current_user) WITH CHECK (owner = current_user);
--> statement-breakpoint
-- Messages follow their session: visible when it is, writable when it is one's own. The
-- subquery is itself filtered by the sessions policies, and joins on the same project only.
ALTER TABLE victor.messages ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY messages_visible ON victor.messages FOR SELECT TO victor_writer, victor_reader
  USING (EXISTS (SELECT FROM victor.sessions s WHERE s.project = messages.project AND s.id = messages.session_id));
--> statement-breakpoint
CREATE POLICY messages_own ON victor.messages FOR ALL TO victor_writer
  USING (EXISTS (SELECT FROM victor.sessions s WHERE s.project = messages.project AND s.id = messages.session_id AND s.owner = current_user))
  WITH CHECK (EXISTS (SELECT FROM victor.sessions s WHERE s.project = messages.project AND s.id = messages.session_id AND s.owner = current_user));
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

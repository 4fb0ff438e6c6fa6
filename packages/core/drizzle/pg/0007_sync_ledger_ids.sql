-- sync_ledger: the session's id in the other store, each side's incarnation and message fingerprint,
-- how many messages both had and their hash (see schema.ts). search_candidates: a NULL project searches
-- every project the caller may see (`victor sessions search --all-projects`), so it returns the project too.
ALTER TABLE "victor"."sync_ledger" ADD COLUMN "remote_session_id" text COLLATE "C" DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "victor"."sync_ledger" ADD COLUMN "local_incarnation" text COLLATE "C" DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "victor"."sync_ledger" ADD COLUMN "local_fingerprint" text COLLATE "C" DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "victor"."sync_ledger" ADD COLUMN "remote_incarnation" text COLLATE "C" DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "victor"."sync_ledger" ADD COLUMN "remote_fingerprint" text COLLATE "C" DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "victor"."sync_ledger" ADD COLUMN "message_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "victor"."sync_ledger" ADD COLUMN "messages_hash" text COLLATE "C" DEFAULT '' NOT NULL;--> statement-breakpoint
DROP FUNCTION victor.search_candidates(text, tsquery, integer);
--> statement-breakpoint
CREATE FUNCTION victor.search_candidates(p_project text, p_query tsquery, p_limit integer)
  RETURNS TABLE (project text, id bigint, session_id text, "position" integer, rank real)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN QUERY EXECUTE
    'SELECT m.project::text, m.id, m.session_id::text, m.position, ts_rank(m.search, $2)
       FROM victor.messages m
      WHERE ($1 IS NULL OR m.project = $1) AND m.search @@ $2
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

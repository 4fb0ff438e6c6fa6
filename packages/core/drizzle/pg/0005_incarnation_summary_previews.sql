-- incarnation: see the SQLite schema. tags, preview_count: the summary fields of data, written with it
-- (PostgreSQL cannot parse every data column it stores: see schema.ts). preview_text/preview_search:
-- preview sidecars are searchable, as on SQLite (preview_fts there); written with the session.
ALTER TABLE "victor"."sessions" ADD COLUMN "incarnation" text COLLATE "C" DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "victor"."sessions" ADD COLUMN "tags" text COLLATE "C" DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE "victor"."sessions" ADD COLUMN "preview_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "victor"."sessions" ADD COLUMN "preview_text" text COLLATE "C" DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "victor"."sessions" ADD COLUMN "preview_search" "tsvector" GENERATED ALWAYS AS (victor.search_vector(preview_text)) STORED;
CREATE SCHEMA "victor";
--> statement-breakpoint
CREATE TABLE "victor"."legacy_imports" (
	"project" text COLLATE "C" NOT NULL,
	"owner" text COLLATE "C" DEFAULT CURRENT_USER NOT NULL,
	"source_path" text COLLATE "C" NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text COLLATE "C" NOT NULL,
	"session_id" text COLLATE "C",
	"outcome" text COLLATE "C" NOT NULL,
	"reason" text COLLATE "C",
	"imported_at" text COLLATE "C" NOT NULL,
	CONSTRAINT "legacy_imports_pkey" PRIMARY KEY("project","owner","source_path")
);
--> statement-breakpoint
CREATE TABLE "victor"."messages" (
	"project" text COLLATE "C" NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "victor"."messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"session_id" text COLLATE "C" NOT NULL,
	"position" integer NOT NULL,
	"role" text COLLATE "C" NOT NULL,
	"content" text COLLATE "C",
	"name" text COLLATE "C",
	"tool_calls" text COLLATE "C",
	"tool_call_id" text COLLATE "C",
	"extra" text COLLATE "C",
	"created_at" text COLLATE "C" DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL,
	CONSTRAINT "messages_pkey" PRIMARY KEY("project","id")
);
--> statement-breakpoint
CREATE TABLE "victor"."sessions" (
	"project" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"name" text COLLATE "C" NOT NULL,
	"provider" text COLLATE "C" DEFAULT '' NOT NULL,
	"model" text COLLATE "C" DEFAULT '' NOT NULL,
	"profile" text COLLATE "C" DEFAULT 'default' NOT NULL,
	"data" json NOT NULL,
	"created_at" text COLLATE "C" NOT NULL,
	"updated_at" text COLLATE "C" NOT NULL,
	"message_count" integer DEFAULT 0 NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"parent_id" text COLLATE "C",
	"search_title" text COLLATE "C" DEFAULT '' NOT NULL,
	"owner" text COLLATE "C" DEFAULT CURRENT_USER NOT NULL,
	"machine" text COLLATE "C" DEFAULT '' NOT NULL,
	"shared" boolean DEFAULT false NOT NULL,
	"exact_text" json,
	CONSTRAINT "sessions_pkey" PRIMARY KEY("project","id")
);
--> statement-breakpoint
CREATE TABLE "victor"."sync_ledger" (
	"project" text COLLATE "C" NOT NULL,
	"owner" text COLLATE "C" DEFAULT CURRENT_USER NOT NULL,
	"remote" text COLLATE "C" NOT NULL,
	"session_id" text COLLATE "C" NOT NULL,
	"local_revision" integer NOT NULL,
	"remote_revision" integer NOT NULL,
	"content_hash" text COLLATE "C" NOT NULL,
	"direction" text COLLATE "C" NOT NULL,
	"synced_at" text COLLATE "C" NOT NULL,
	CONSTRAINT "sync_ledger_pkey" PRIMARY KEY("project","owner","remote","session_id")
);
--> statement-breakpoint
ALTER TABLE "victor"."messages" ADD CONSTRAINT "messages_session_fk" FOREIGN KEY ("project","session_id") REFERENCES "victor"."sessions"("project","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "messages_session_position_idx" ON "victor"."messages" USING btree ("project","session_id","position");--> statement-breakpoint
CREATE INDEX "sessions_updated_at_idx" ON "victor"."sessions" USING btree ("project","updated_at","id");--> statement-breakpoint
CREATE INDEX "sessions_created_at_idx" ON "victor"."sessions" USING btree ("project","created_at","id");
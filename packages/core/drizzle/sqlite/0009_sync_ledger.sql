-- What push/pull last agreed with another store about each session (see schema.ts syncLedger):
-- ids on both sides, each side's revision, incarnation and message fingerprint, the content hashes.
CREATE TABLE `sync_ledger` (
	`remote` text NOT NULL,
	`session_id` text NOT NULL,
	`remote_session_id` text NOT NULL,
	`local_revision` integer NOT NULL,
	`local_incarnation` text NOT NULL,
	`local_fingerprint` text NOT NULL,
	`remote_revision` integer NOT NULL,
	`remote_incarnation` text NOT NULL,
	`remote_fingerprint` text NOT NULL,
	`message_count` integer NOT NULL,
	`messages_hash` text NOT NULL,
	`content_hash` text NOT NULL,
	`direction` text NOT NULL,
	`synced_at` text NOT NULL,
	PRIMARY KEY(`remote`, `session_id`)
);

CREATE TABLE `python_upgrades` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`upgraded_at` text NOT NULL,
	`schema_kind` text NOT NULL,
	`backup_path` text,
	`sessions` integer NOT NULL,
	`renamed` text NOT NULL,
	`dropped_triggers` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `legacy_imports` ADD `revision` integer;
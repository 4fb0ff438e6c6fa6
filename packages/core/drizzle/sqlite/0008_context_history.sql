-- History that is never lost: a save marks the messages that leave the model's context
-- (context_epoch: the session's change that took them out) instead of deleting them; carried_from
-- marks a copy a compaction kept; fork_point records where a fork left its parent. Existing rows
-- are all in the context (NULL), as they were.
ALTER TABLE `messages` ADD `context_epoch` integer;--> statement-breakpoint
ALTER TABLE `messages` ADD `carried_from` integer;--> statement-breakpoint
CREATE INDEX `messages_out_of_context_idx` ON `messages` (`session_id`,`context_epoch`) WHERE "messages"."context_epoch" IS NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `fork_point` integer;

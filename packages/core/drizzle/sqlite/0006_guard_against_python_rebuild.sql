-- The Python Victor (0.7.0 and later) shares .victor/project.db with Victor and, every time its
-- ConversationStore starts in a project, rebuilds any `messages` table that is not of its own
-- shape through a scratch table named `messages_new`, and adds FTS triggers named
-- messages_fts_insert/_update/_delete to `messages` ("IF NOT EXISTS", by name). Either would break
-- Victor's tables. Holding those names makes both steps fail harmlessly on its side (it logs a
-- warning and goes on); nothing here ever fires for Victor's own writes.
CREATE TABLE `messages_new` (`reserved_by_victor` text);
--> statement-breakpoint
CREATE TRIGGER `messages_fts_insert` BEFORE INSERT ON `messages_new` BEGIN
  SELECT RAISE(ABORT, 'messages_new is reserved by Victor: see the README, "Coming from the Python Victor"');
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_update` BEFORE UPDATE ON `messages_new` BEGIN
  SELECT RAISE(ABORT, 'messages_new is reserved by Victor');
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_delete` BEFORE DELETE ON `messages_new` BEGIN
  SELECT RAISE(ABORT, 'messages_new is reserved by Victor');
END;

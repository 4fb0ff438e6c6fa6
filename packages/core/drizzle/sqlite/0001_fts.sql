-- Full-text search over message content (drizzle-kit cannot express FTS5). Titles are searched
-- through sessions.search_title (case- and accent-folded), a plain substring scan of a small table.
-- unicode61 + remove_diacritics 2: case- and accent-insensitive words; prefixes are queried with '*'.
-- Message content is indexed as an external-content table (no second copy of the text), kept in
-- sync by triggers, so every write path (the API, sqlite3 by hand) keeps the index right.
CREATE VIRTUAL TABLE `messages_fts` USING fts5(content, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `messages_fts_ai` AFTER INSERT ON `messages` WHEN new.content IS NOT NULL BEGIN
  INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_ad` AFTER DELETE ON `messages` WHEN old.content IS NOT NULL BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_au` AFTER UPDATE OF content ON `messages` BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, content) SELECT 'delete', old.id, old.content WHERE old.content IS NOT NULL;
  INSERT INTO messages_fts(rowid, content) SELECT new.id, new.content WHERE new.content IS NOT NULL;
END;

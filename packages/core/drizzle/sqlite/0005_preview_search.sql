-- Preview sidecars (conversation.preview_messages: file previews shown in a chat but never sent to
-- the model) are searchable, as they were in the Python Victor. One row per session that has any,
-- holding every text value of its previews; the store rewrites it in the save's transaction when
-- the previews change. drizzle-kit cannot express FTS5, hence this custom migration.
CREATE VIRTUAL TABLE `preview_fts` USING fts5(session_id UNINDEXED, content, tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `sessions_preview_fts_ad` AFTER DELETE ON `sessions` BEGIN
  DELETE FROM preview_fts WHERE session_id = old.id;
END;
--> statement-breakpoint
INSERT INTO preview_fts(session_id, content)
  SELECT s.id, group_concat(j.value, char(10)) FROM sessions s, json_tree(CASE WHEN json_valid(s.data) THEN s.data ELSE '{}' END, '$.conversation.preview_messages') j
  WHERE j.type = 'text' GROUP BY s.id;

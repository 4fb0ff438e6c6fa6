-- The Python Victor of the guide's schema (0.5 to 0.6, its SQLiteSessionPersistence) saves with
-- `INSERT OR REPLACE INTO sessions (id, name, provider, model, profile, data, created_at, updated_at)`
-- and then `DELETE FROM messages WHERE session_id = ?`. Started in a project Victor has upgraded,
-- that statement fits Victor's own sessions table: saving a session it knew (the ones the upgrade
-- imported, maybe continued since in Victor) would replace Victor's row and delete its messages.
-- Its `data` is its envelope, with a top-level "metadata" object Victor never writes there, so
-- refusing that one shape before anything is replaced makes its save fail harmlessly (it logs the
-- error and goes on; a BEFORE trigger runs before INSERT OR REPLACE deletes the old row).
CREATE TRIGGER `sessions_refuse_python_guide_save` BEFORE INSERT ON `sessions`
WHEN json_valid(NEW.`data`) AND json_type(NEW.`data`, '$.metadata') = 'object' BEGIN
  SELECT RAISE(ABORT, 'sessions belongs to Victor since its upgrade of this project: see the README, "Coming from the Python Victor"');
END;

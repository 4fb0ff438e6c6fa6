-- incarnation: a session deleted and created again under its id is another incarnation, even at the
-- same revision number, so a save based on the old one is a conflict. exact_text: the exact value of
-- a title, model, provider or profile holding a NUL or a lone surrogate (see schema.ts).
ALTER TABLE `sessions` ADD `incarnation` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `exact_text` text;
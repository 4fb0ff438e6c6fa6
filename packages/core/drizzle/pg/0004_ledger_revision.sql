-- The revision an import wrote, as in the SQLite ledger (see packages/core/src/schema.ts).
ALTER TABLE "victor"."legacy_imports" ADD COLUMN "revision" integer;
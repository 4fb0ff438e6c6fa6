import { expectTypeOf, it } from "vitest";
import type * as pg from "../src/engine/pg/schema.js";
import type * as sqlite from "../src/engine/sqlite/schema.js";

/**
 * The two dialects' schemas describe the same rows: every SQLite column is in the PostgreSQL
 * table, with the same type. PostgreSQL adds what a shared server needs (project, owner, machine,
 * shared), what its JSON parser cannot read out of `data` (tags, preview_count), and its search
 * columns. Checked by the type checker (pnpm typecheck), so a column changed on one side only
 * fails the build.
 */
type Same<S, P> = { [K in keyof S]: K extends keyof P ? P[K] : never };

it("sessions, messages and the import ledger have the same columns of the same types on both engines", () => {
  type SqliteSession = typeof sqlite.sessions.$inferSelect;
  type PgSession = typeof pg.sessions.$inferSelect;
  expectTypeOf<SqliteSession>().toEqualTypeOf<Same<SqliteSession, PgSession>>();
  expectTypeOf<Exclude<keyof PgSession, keyof SqliteSession>>().toEqualTypeOf<"project" | "owner" | "machine" | "shared" | "tags" | "preview_count" | "preview_text" | "preview_search">();

  type SqliteMessage = typeof sqlite.messages.$inferSelect;
  type PgMessage = typeof pg.messages.$inferSelect;
  expectTypeOf<SqliteMessage>().toEqualTypeOf<Same<SqliteMessage, PgMessage>>();
  expectTypeOf<Exclude<keyof PgMessage, keyof SqliteMessage>>().toEqualTypeOf<"project" | "search">();

  type SqliteLedger = typeof sqlite.legacyImports.$inferSelect;
  type PgLedger = typeof pg.legacyImports.$inferSelect;
  expectTypeOf<SqliteLedger>().toEqualTypeOf<Same<SqliteLedger, PgLedger>>();
  expectTypeOf<Exclude<keyof PgLedger, keyof SqliteLedger>>().toEqualTypeOf<"project" | "owner">();
});

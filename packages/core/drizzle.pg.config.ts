import { defineConfig } from "drizzle-kit";

// The PostgreSQL engine's migrations: `pnpm db:generate:pg`. Hand-written parts (text search
// configuration, roles, grants, row-level security) are custom migrations in the same folder.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/engine/pg/schema.ts",
  out: "./drizzle/pg",
  schemaFilter: ["victor"],
});

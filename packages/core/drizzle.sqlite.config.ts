import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./src/engine/sqlite/schema.ts",
  out: "./drizzle/sqlite",
});

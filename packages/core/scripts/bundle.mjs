// Replaces dist/index.js (tsc's output) with an ESM bundle that includes drizzle-orm: Node then
// loads a few modules instead of ~140, which is most of `victor sessions list`'s start-up time.
// Each engine is its own chunk (dist/chunks/), loaded by a dynamic import when a store of that
// kind is opened; the drivers (better-sqlite3, pg) stay packages of their own, loaded only then.
// Types still come from tsc's .d.ts files.
import { build } from "esbuild";

await build({
  entryPoints: ["src/index.ts", "src/lite.ts"],
  outdir: "dist",
  entryNames: "[name]",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  external: ["better-sqlite3", "pg"],
  logLevel: "warning",
});

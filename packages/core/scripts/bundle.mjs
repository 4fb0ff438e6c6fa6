// Replaces dist/index.js (tsc's output) with an ESM bundle that includes drizzle-orm: Node then
// loads a few modules instead of ~140, which is most of `victor sessions list`'s start-up time.
// Each engine is its own chunk (dist/chunks/), loaded by a dynamic import when a store of that
// kind is opened; the drivers (better-sqlite3, pg) stay packages of their own, loaded only then.
// Types still come from tsc's .d.ts files.
import { build } from "esbuild";

const shared = { bundle: true, platform: "node", format: "esm", target: "node20", sourcemap: true, external: ["better-sqlite3", "pg"], logLevel: "warning" };

await build({
  ...shared,
  entryPoints: ["src/index.ts"],
  outdir: "dist",
  entryNames: "[name]",
  chunkNames: "chunks/[name]-[hash]",
  splitting: true,
});

// The cold-start entry (src/lite.ts) as one file of its own: each module file costs a cold start
// a load of its own (measured: the eight shared chunks it had cost `victor sessions list` ~10%).
await build({ ...shared, entryPoints: ["src/lite.ts"], outfile: "dist/lite.js" });

// Replaces dist/index.js (tsc's output) with one ESM file that includes drizzle-orm: Node then
// loads 1 module instead of ~140, which is most of `victor sessions list`'s start-up time.
// Types still come from tsc's .d.ts files; better-sqlite3 (native) stays a normal dependency.
import { build } from "esbuild";

await build({
  entryPoints: ["src/index.ts"],
  outfile: "dist/index.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  external: ["better-sqlite3"],
  logLevel: "warning",
});

// Bundles the CLI into dist/bundle/ for start-up speed: `victor sessions list` loads a handful of
// files instead of ~100 modules. The REPL, providers and the AI SDK stay in lazily loaded chunks
// (or external packages), so session commands never load them. tsc's dist/ stays for the types.
import { build } from "esbuild";
import { readFileSync, rmSync } from "node:fs";

/**
 * string-width builds an emoji regex and an Intl.Segmenter when it loads (measured: importing it
 * takes ~30 ms, as long as Node's own start-up), and most text the terminal package measures is
 * printable ASCII, whose width is its length. For the terminal package's imports of it, this puts a
 * stand-in that answers ASCII itself and loads string-width (bundled, initialised lazily by
 * esbuild's require) on the first other text.
 */
const lazyStringWidth = {
  name: "lazy-string-width",
  setup(build) {
    build.onResolve({ filter: /^string-width$/ }, (args) =>
      args.kind === "import-statement" && /\/packages\/terminal\//.test(args.importer) ? { path: args.resolveDir, namespace: "lazy-string-width" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "lazy-string-width" }, (args) => ({
      resolveDir: args.path,
      contents: `let measure;
export default function stringWidth(text, options) {
  if (typeof text === "string" && /^[\\x20-\\x7e]*$/.test(text)) return text.length;
  measure ??= require("string-width").default;
  return measure(text, options);
}`,
    }));
  },
};

// Chunk names carry content hashes: start clean so old chunks never linger.
rmSync("dist/bundle", { recursive: true, force: true });

await build({
  entryPoints: { main: "src/main.ts" },
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  // Native code, our own bundled packages, and the AI SDK (loaded only when a message is sent).
  external: ["better-sqlite3", "@victor/core", "@victor/migrate", "@victor/import", "ai", "@ai-sdk/*"],
  // Some bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __victorCreateRequire } from 'node:module'; const require = __victorCreateRequire(import.meta.url);" },
  // `victor --version` from the bundle: it has no package.json beside it to read.
  define: { __VICTOR_VERSION__: JSON.stringify(JSON.parse(readFileSync("package.json", "utf8")).version) },
  plugins: [lazyStringWidth],
  logLevel: "warning",
});

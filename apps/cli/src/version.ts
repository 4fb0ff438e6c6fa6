import { createRequire } from "node:module";

// The bundle (scripts/bundle.mjs) writes the version in at build time: a bundled file has no
// package.json beside it. Run from source (tests), the package.json one folder up is ours.
declare const __VICTOR_VERSION__: string | undefined;

export const VERSION: string =
  typeof __VICTOR_VERSION__ === "string" ? __VICTOR_VERSION__ : (createRequire(import.meta.url)("../package.json") as { version: string }).version;

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

/**
 * The publishable packages as someone outside this repository gets them: each is packed (`pnpm
 * pack`, as a publish would), installed from the tarballs into an empty project in the temp
 * folder, type-checked by a small program with `strict` and without `skipLibCheck` (a driver
 * type in a public declaration, or any type error in them, fails here), and run. The programs'
 * own bins run too. The built packages are packed: `pnpm test` builds first.
 */

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const PACKAGES = ["packages/terminal", "packages/core", "packages/migrate", "packages/import", "apps/cli"];
const work = mkdtempSync(join(tmpdir(), "victor-packaging-"));

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs a command; a failure says what it printed (tsc prints its errors on stdout). */
function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_loglevel: "error" }, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed:\n${stdout ?? ""}${stderr ?? ""}`, { cause: error });
  }
}

/** What the consumer writes: every package's entry point, used the way a program would. */
const PROGRAM = `
import { openSessionStore, SessionConflictError, type SearchResult, type Session } from "@victor/core";
import { migrateLegacySessions } from "@victor/migrate";
import { TOOLS } from "@victor/import";
import { sanitizeLine } from "@victor/terminal";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dbPath = join(mkdtempSync(join(tmpdir(), "consumer-")), "project.db");
const store = await openSessionStore({ dbPath });
const saved = await store.saveSession({ conversation: { messages: [{ role: "user", content: "Hello from a consumer" }] }, model: "m", provider: "p" });
const loaded: Session | null = await store.loadSession(saved.sessionId);
const found: SearchResult[] = await store.searchSessions("consumer");
const other = await openSessionStore({ dbPath });
await other.loadSession(saved.sessionId);
await store.saveSession({ sessionId: saved.sessionId, conversation: { messages: [{ role: "user", content: "changed" }] }, model: "m", provider: "p" });
const conflict = await other.saveSession({ sessionId: saved.sessionId, conversation: { messages: [] }, model: "m", provider: "p" }).catch((e: unknown) => e);
const report = await migrateLegacySessions({ dbPath, sources: [], dryRun: true });
await Promise.all([store.close(), other.close()]);
console.log(JSON.stringify({ title: loaded?.metadata.title, hits: found.length, conflict: conflict instanceof SessionConflictError, dryRun: report.dryRun, tools: TOOLS.length > 0, line: sanitizeLine("ok") }));
`;

it("each package packs, installs outside the workspace, type-checks strictly (no skipLibCheck) and runs", () => {
  const tarballs = join(work, "tarballs");
  const project = join(work, "project");
  mkdirSync(tarballs);
  mkdirSync(project);
  for (const dir of PACKAGES) run("pnpm", ["pack", "--pack-destination", tarballs], join(ROOT, dir));
  const tarball = (prefix: string) => `file:${join(tarballs, readdirSync(tarballs).find((name) => name.startsWith(prefix))!)}`;
  const ours = {
    "@victor/core": tarball("victor-core-"),
    "@victor/terminal": tarball("victor-terminal-"),
    "@victor/migrate": tarball("victor-migrate-"),
    "@victor/import": tarball("victor-import-"),
  };
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({
      name: "consumer",
      private: true,
      type: "module",
      dependencies: { ...ours, victor: tarball("victor-0"), "better-sqlite3": "^12.6.0", "@types/node": "^20.19.0", typescript: "~5.9.3" },
      // The tarballs name each other by version, which no registry has: they are these files.
      // better-sqlite3 builds once per machine; pnpm's side-effects cache reuses the build.
      pnpm: { overrides: ours, onlyBuiltDependencies: ["better-sqlite3"] },
    }),
  );
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { strict: true, skipLibCheck: false, module: "nodenext", moduleResolution: "nodenext", target: "es2022", outDir: "out", types: ["node"] }, include: ["main.ts"] }),
  );
  writeFileSync(join(project, "main.ts"), PROGRAM);
  run("pnpm", ["install", "--prefer-offline"], project);

  run(join(project, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.json"], project);
  expect(JSON.parse(run(process.execPath, ["out/main.js"], project))).toEqual({ title: "Hello from a consumer", hits: 1, conflict: true, dryRun: true, tools: true, line: "ok" });

  const bin = (name: string) => join(project, "node_modules", ".bin", name);
  expect(run(bin("victor"), ["--version"], project).trim()).toMatch(/^\d+\.\d+\.\d+/);
  expect(run(bin("victor"), ["sessions", "list", "--db", join(work, "empty.db")], project)).toMatch(/No saved sessions found/);
  expect(run(bin("victor-migrate"), ["--help"], project)).toMatch(/victor-migrate/);
  // ~15 s here (pack 4 s, install 4 s, tsc 5 s); a machine whose pnpm store has not built better-sqlite3 yet builds it once.
}, 300_000);

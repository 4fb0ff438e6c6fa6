import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "apps/*/src/**/*.test.ts", "apps/*/test/**/*.test.ts"],
    // Real SQLite files and child processes: forks isolate native handles; 2 cores here.
    pool: "forks",
    maxWorkers: 2,
    // Test files share their worker's modules (the suite's ~80 files each re-imported the CLI, core and
    // their dependencies: half of its time). Tests keep their state in temp dirs and restore what they change.
    isolate: false,
    // Prints one line when the PostgreSQL tests skip (no VICTOR_TEST_PG_URL outside CI).
    globalSetup: ["packages/test-utils/src/pg-global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ["default", ["json", { outputFile: "test-results.json" }]],
  },
});

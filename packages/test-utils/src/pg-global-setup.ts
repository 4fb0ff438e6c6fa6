import { PG_URL_VARIABLE, pgSkipNotice } from "./pg.js";

/**
 * vitest globalSetup: one visible line when the PostgreSQL tests will not run against a server —
 * skipped outside CI, failing in CI (each PostgreSQL test file then fails; the other tests still
 * run and report).
 */
export default function setup(): void {
  if (process.env[PG_URL_VARIABLE]) return;
  if (process.env.CI) console.warn(`\nPostgreSQL tests will FAIL: CI is set and ${PG_URL_VARIABLE} is not (.ci/run sets it from scripts/ci-postgres.sh).\n`);
  else console.warn(`\n${pgSkipNotice()}\n`);
}

import { pgSkipNotice, pgTestUrl } from "./pg.js";

/** vitest globalSetup: one visible line when the PostgreSQL tests will skip (never silently). */
export default function setup(): void {
  if (pgTestUrl() === null) console.warn(`\n${pgSkipNotice()}\n`);
}

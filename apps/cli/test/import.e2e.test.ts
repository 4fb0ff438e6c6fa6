import { makeTempDir, runNode, type TempDir } from "@victor/test-utils";
import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VICTOR_BIN } from "./chat/harness.js";
import { CLAUDE_ID, CODEX_ID, seedOtherTools } from "./import-fixtures.js";

// The one run of `victor import` on the built binary: the bundle loads @victor/import and the progress
// display of @victor/migrate at run time, and exit codes cross a real process boundary. The rest of
// the command is tested in-process (import.test.ts).
describe("victor import (the built binary)", () => {
  let dir: TempDir;
  beforeAll(() => {
    dir = makeTempDir("victor-import-e2e-");
    mkdirSync(dir.join("work", ".git"), { recursive: true });
    mkdirSync(dir.join("home"));
    seedOtherTools(dir.join("home"), dir.join("work"));
  });
  afterAll(() => dir.remove());

  it("imports the sessions of the three tools, then finds nothing new", async () => {
    const env = { HOME: dir.join("home") };
    const first = await runNode(VICTOR_BIN, ["import", "--json"], { cwd: dir.join("work"), env });
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.counts).toMatchObject({ imported: 3, failed: 0 });
    expect(report.sessions.map((s: { session_id: string }) => s.session_id).sort()).toEqual([`claude-${CLAUDE_ID}`, `codex-${CODEX_ID}`, "gemini-aabbccdd-0000-4000-8000-000000000003"]);
    const second = await runNode(VICTOR_BIN, ["import"], { cwd: dir.join("work"), env });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/│ unchanged\s+│\s+1 │\s+1 │\s+1 │/);
    expect(second.stderr).toContain("victor import: 3/3 files");
  });
});

import { PythonVictorDatabaseError } from "@victor/core";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { GEMINI, cleanup, runImport, tempDir } from "./helpers.js";

afterEach(cleanup);

const PYTHON_DB = fileURLToPath(new URL("../../migrate/test/fixtures/python-victor/conversation-store-head.db", import.meta.url));
const sha = (path: string): string => createHash("sha256").update(readFileSync(path)).digest("hex");

describe("the database victor import writes to", () => {
  it("the Python Victor's, not upgraded yet: refused as every command refuses it (victor-migrate first), and left as it was", async () => {
    const dbPath = tempDir().join("project.db");
    copyFileSync(PYTHON_DB, dbPath);
    const before = sha(dbPath);
    await expect(runImport(dbPath, { tools: ["gemini"], sources: [GEMINI] })).rejects.toBeInstanceOf(PythonVictorDatabaseError);
    await expect(runImport(dbPath, { tools: ["gemini"], sources: [GEMINI], dryRun: true })).rejects.toBeInstanceOf(PythonVictorDatabaseError);
    expect(sha(dbPath)).toBe(before);
  });

  it("an empty file: a dry run simulates over it (and leaves it empty), a real run creates the tables", async () => {
    const dbPath = tempDir().join("project.db");
    writeFileSync(dbPath, "");
    const dry = await runImport(dbPath, { tools: ["gemini"], sources: [GEMINI], dryRun: true });
    expect(readFileSync(dbPath).length).toBe(0);
    const real = await runImport(dbPath, { tools: ["gemini"], sources: [GEMINI] });
    expect({ ...dry, dryRun: false, durationMs: 0 }).toEqual({ ...real, durationMs: 0 });
  });
});

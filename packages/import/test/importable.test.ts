import { copyFileSync, cpSync, readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { findImportableSessions } from "../src/index.js";
import { CLAUDE, PROJECT, cleanup, tempDir } from "./helpers.js";

afterEach(cleanup);

const PYTHON_DB = fileURLToPath(new URL("../../migrate/test/fixtures/python-victor/conversation-store-head.db", import.meta.url));
const sha = (path: string): string => createHash("sha256").update(readFileSync(path)).digest("hex");

describe("findImportableSessions (the start-up hint of victor chat)", () => {
  it("counts the other tools' sessions over a database the Python Victor wrote, or an empty one, and changes neither", async () => {
    const home = tempDir();
    cpSync(CLAUDE, home.join(".claude", "projects"), { recursive: true });
    const env = { HOME: home.path };
    const none = await findImportableSessions({ cwd: PROJECT, env, dbPath: home.join("missing.db") });
    expect(none.counts.claude).toBeGreaterThan(0);

    const python = home.join("python.db");
    copyFileSync(PYTHON_DB, python);
    const before = sha(python);
    expect(await findImportableSessions({ cwd: PROJECT, env, dbPath: python })).toEqual(none);
    expect(sha(python)).toBe(before);

    const empty = home.join("empty.db");
    writeFileSync(empty, "");
    expect(await findImportableSessions({ cwd: PROJECT, env, dbPath: empty })).toEqual(none);
    expect(readFileSync(empty).length).toBe(0);
  });
});

import { copyFileSync, cpSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FIXTURE_ZONE, REPO_ROOT, cleanup, migrate, openStore, snapshotTree, tempDir } from "./helpers.js";

afterEach(cleanup);

/** Session files the Python Victor's own SessionPersistence wrote (see fixtures/legacy-json/README.md). */
const JSON_FIXTURES = join(REPO_ROOT, "packages", "migrate", "test", "fixtures", "legacy-json");
const COMMITS = ["be0e59f04", "3e9eb8856", "1bff51ed9", "5fb849da9"];
const NON_FINITE_FILE = "20251215_101500.json";
const CUT = '"conversation_state":';

/** The file as Python's json.load reads it; a file cut after `"conversation_state": ` as /load could not. */
function pythonView(text: string): { value: Record<string, unknown>; cut: boolean } {
  const trimmed = text.trimEnd();
  if (trimmed.endsWith(CUT)) return { value: JSON.parse(`${trimmed} null}`), cut: true };
  return { value: JSON.parse(text), cut: false };
}

/** Naive local times of the fixtures (America/Chicago, winter: UTC-6) as ISO UTC with milliseconds. */
const chicagoToUtc = (naive: string): string => new Date(`${naive.slice(0, 23)}-06:00`).toISOString();

describe("session files the Python Victor's own code wrote", () => {
  it.each(COMMITS)("imports every file written at %s losslessly; a second run changes nothing", async (commit) => {
    const source = join(JSON_FIXTURES, commit);
    const before = snapshotTree(source);
    const dbPath = tempDir().join("project.db");
    const { files } = await migrate({ sources: [source], dbPath, backup: false, timeZone: FIXTURE_ZONE });
    const store = await openStore(dbPath, true);
    for (const name of readdirSync(source).filter((n) => n !== NON_FINITE_FILE)) {
      const path = join(source, name);
      const { value: file, cut } = pythonView(readFileSync(path, "utf8"));
      expect(files.get(path)?.outcome, name).toBe(cut ? "recovered" : "imported");
      const session = (await store.loadSession(name.replace(/\.json$/, "")))!;
      const meta = file.metadata as Record<string, string | string[]>;
      expect(session.metadata.legacy, name).toEqual({ file: path, metadata: meta });
      expect(session.metadata.created_at, name).toBe(chicagoToUtc(meta.created_at as string));
      expect(session.metadata.updated_at, name).toBe(chicagoToUtc(meta.updated_at as string));
      expect([session.metadata.model, session.metadata.provider, session.metadata.profile, session.metadata.tags]).toEqual([meta.model, meta.provider, meta.profile, meta.tags]);
      expect(session.metadata.title, name).toBe(meta.title || "What is in this screenshot?");
      for (const [key, value] of Object.entries(file.conversation as Record<string, unknown>)) expect(session.conversation[key], `${name} conversation.${key}`).toEqual(value);
      for (const [key, value] of Object.entries(file).filter(([k]) => k !== "metadata" && k !== "conversation")) expect((session as unknown as Record<string, unknown>)[key], `${name} ${key}`).toEqual(value);
    }
    const again = await migrate({ sources: [source], dbPath, backup: false, timeZone: FIXTURE_ZONE });
    expect(again.report.counts.unchanged).toBe(readdirSync(source).length);
    expect(snapshotTree(source)).toEqual(before);
  });

  it("imports NaN and -Infinity (Python's json.dump writes them, JSON has no such words) as null, and says where", async () => {
    for (const commit of COMMITS) {
      const path = join(JSON_FIXTURES, commit, NON_FINITE_FILE);
      const dbPath = tempDir().join("project.db");
      const { files } = await migrate({ sources: [join(JSON_FIXTURES, commit)], dbPath, backup: false, timeZone: FIXTURE_ZONE });
      const result = files.get(path)!;
      expect(result.outcome, commit).toBe("recovered");
      expect(result.notes.join("\n")).toMatch(/NaN at line \d+, column 23, -Infinity at line \d+, column 19\).*stored as null/);
      const session = (await (await openStore(dbPath, true)).loadSession("20251215_101500"))!;
      expect(session.tool_selection_stats).toEqual({ semantic_selections: 0, total_tools_selected: 0, semantic_ratio: null, best_score: null });
      expect(session.conversation.messages.map((m) => m.content)).toEqual(["How often did semantic selection win?", "Not measured yet: no selections were made."]);
    }
  });

  it("updates the session when the Python Victor saved the file again (update_session after /load)", async () => {
    const dir = tempDir();
    const source = dir.join("sessions");
    cpSync(join(JSON_FIXTURES, "1bff51ed9"), source, { recursive: true });
    const dbPath = dir.join("project.db");
    await migrate({ sources: [source], dbPath, backup: false, timeZone: FIXTURE_ZONE });
    const path = join(source, "20251203_181512.json");
    copyFileSync(join(JSON_FIXTURES, "1bff51ed9-updated", "20251203_181512.json"), path);
    const { files } = await migrate({ sources: [source], dbPath, backup: false, timeZone: FIXTURE_ZONE });
    expect(files.get(path)?.outcome).toBe("updated");
    const file = JSON.parse(readFileSync(path, "utf8"));
    const session = (await (await openStore(dbPath, true)).loadSession("20251203_181512"))!;
    expect(session.conversation.messages).toEqual(file.conversation.messages);
    expect(session.conversation.messages).toHaveLength(5);
    expect(session.metadata.updated_at).toBe(chicagoToUtc(file.metadata.updated_at));
    expect(session.metadata.created_at).toBe(chicagoToUtc(file.metadata.created_at));
  });
});

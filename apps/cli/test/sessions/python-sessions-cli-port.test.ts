/**
 * The Python Victor's own tests of its `victor sessions` command (tests/unit/commands/test_sessions_cli.py
 * at vjsingh1984/victor 5fb849da), ported as black-box tests of ours: the same data — written by the
 * Python Victor itself (its SQLiteSessionPersistence, into the fixture conversation-store-head.db),
 * then upgraded with victor-migrate — and the same commands, run in-process through main(argv, io),
 * the binary's own code path (one case runs the built binary: a script reads a real process's output).
 * Where Victor deliberately differs (README: "Coming from the Python Victor"), the test says DIFFERS
 * and checks what Victor does instead. Its two TestSessionsChatFlags cases are empty in the original.
 */
import { migrateLegacySessions } from "@victor/migrate";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProject, REPO_ROOT, withStore, type Project } from "./helpers.js";

const STORE_DB = join(REPO_ROOT, "packages/migrate/test/fixtures/python-victor/conversation-store-head.db");
const SAMPLE_IDS = ["myproj-9Kx7Z2", "myproj-9Kx8A3B"];
const PREVIEW = [
  {
    role: "system",
    content: "FILE PREVIEW: app.py",
    metadata: { preview_kind: "file_preview", preview_path: "app.py", preview_language: "python", preview_body: "print('hello')\n" },
    after_message_index: 2,
  },
];

type Summary = { session_id: string; title: string; model: string; provider: string; preview_count: number; message_count: number };

let upgraded: string;
const projects: Project[] = [];

/** A project whose database is a copy of the upgraded fixture (each mutating test gets its own). */
function project(): Project {
  const p = makeProject();
  mkdirSync(p.dir.join(".victor"));
  copyFileSync(upgraded, p.dbPath);
  projects.push(p);
  return p;
}

let shared: Project;
beforeAll(async () => {
  const source = makeProject();
  projects.push(source);
  mkdirSync(source.dir.join(".victor"));
  copyFileSync(STORE_DB, source.dbPath);
  await migrateLegacySessions({ cwd: source.dir.path, env: { HOME: source.home.path } });
  upgraded = source.dbPath;
  shared = project();
});
afterAll(() => projects.forEach((p) => p.remove()));

describe("TestSessionsCommand", () => {
  it.concurrent("test_sessions_list_default", async () => {
    const r = await shared.run(["sessions", "list"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("CI/CD");
    expect(r.stdout).toContain("Unit Tests");
    for (const id of SAMPLE_IDS) expect(r.stdout).toContain(id);
    // DIFFERS: the columns are ID, Title, Model, Provider, Messages, Updated (no "Session ID", no "Previews").
    expect(r.stdout).toMatch(/ID\s.*Title\s.*Model\s.*Provider\s.*Messages\s.*Updated/);
  });

  it.concurrent("test_sessions_list_with_limit", async () => {
    const r = await shared.run(["sessions", "list", "--limit", "1", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(1);
  });

  it.concurrent("test_sessions_list_json", async () => {
    const r = await shared.runBin(["sessions", "list", "--json"]);
    expect(r.code).toBe(0);
    const sample = (JSON.parse(r.stdout) as Summary[]).filter((s) => SAMPLE_IDS.includes(s.session_id));
    expect(sample).toHaveLength(2);
    for (const session of sample) {
      expect(session).toHaveProperty("title");
      expect(session).toHaveProperty("model");
      expect(session).toHaveProperty("provider");
      expect(session.preview_count).toBe(0);
    }
  });

  it.concurrent("test_sessions_list_json_includes_preview_count", async () => {
    const sessions = JSON.parse((await shared.run(["sessions", "list", "--all", "--json"])).stdout) as Summary[];
    expect(sessions.find((s) => s.session_id === "myproj-preview01")!.preview_count).toBe(1);
  });

  it.concurrent("test_sessions_list_empty", async () => {
    const empty = makeProject();
    projects.push(empty);
    const r = await empty.run(["sessions", "list"]);
    expect(r.code).toBe(0);
    // DIFFERS: "No saved sessions found" (the guide's wording) instead of "No sessions found".
    expect(r.stdout).toContain("No saved sessions found");
  });

  it.concurrent("test_sessions_search", async () => {
    const r = await shared.run(["sessions", "search", "CI/CD"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("CI/CD");
    expect(r.stdout).toContain("Pipeline");
    expect(r.stdout).not.toContain("Unit Tests");
    // DIFFERS: no "Previews" column; a Match column shows why each session matched.
  });

  it.concurrent("test_sessions_search_json", async () => {
    const r = await shared.run(["sessions", "search", "CI/CD", "--json"]);
    expect(r.code).toBe(0);
    const sessions = JSON.parse(r.stdout) as Summary[];
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.title).toBe("CI/CD Pipeline Setup");
    expect(sessions[0]!.preview_count).toBe(0);
  });

  it.concurrent("test_sessions_search_finds_preview_messages", async () => {
    const r = await shared.run(["sessions", "search", "hello", "--json"]);
    expect(r.code).toBe(0);
    const sessions = JSON.parse(r.stdout) as Summary[];
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.session_id).toBe("myproj-preview01");
    expect(sessions[0]!.title).toBe("Preview Session");
    expect(sessions[0]!.preview_count).toBe(1);
  });

  it.concurrent("test_sessions_show", async () => {
    const r = await shared.run(["sessions", "show", "myproj-9Kx7Z2"]);
    expect(r.code).toBe(0);
    for (const text of ["CI/CD", "Pipeline", "Setup", "anthropic", "2"]) expect(r.stdout).toContain(text);
  });

  it.concurrent("test_sessions_show_json", async () => {
    const session = JSON.parse((await shared.run(["sessions", "show", "myproj-9Kx7Z2", "--json"])).stdout) as { metadata: Record<string, unknown> };
    expect(session.metadata).toMatchObject({ session_id: "myproj-9Kx7Z2", title: "CI/CD Pipeline Setup", model: "claude-sonnet-4-20250514", provider: "anthropic" });
  });

  it.concurrent("test_sessions_show_json_preserves_preview_messages", async () => {
    const session = JSON.parse((await shared.run(["sessions", "show", "myproj-preview01", "--json"])).stdout) as { conversation: Record<string, unknown> };
    expect(session.conversation.preview_messages).toEqual(PREVIEW);
  });

  it.concurrent("test_sessions_show_displays_preview_messages", async () => {
    const r = await shared.run(["sessions", "show", "myproj-preview01"]);
    expect(r.code).toBe(0);
    // DIFFERS: `show` prints the details and the conversation; preview sidecars are in `show --json`
    // (above) and found by `search`, not drawn in the transcript.
    expect(r.stdout).toContain("Preview Session");
    expect(r.stdout).toContain("Here is the current file preview.");
  });

  it.concurrent("test_sessions_show_not_found", async () => {
    const r = await shared.run(["sessions", "show", "nonexistent-12345"]);
    expect(r.code).not.toBe(0);
    // DIFFERS: the error is on stderr (stdout stays clean for scripts).
    expect(r.stderr.toLowerCase()).toContain("not found");
  });

  it("test_sessions_delete", async () => {
    const p = project();
    const r = await p.run(["sessions", "delete", "myproj-9Kx7Z2", "--yes"]);
    expect(r.code).toBe(0);
    expect(r.stdout.toLowerCase()).toContain("deleted");
    const show = await p.run(["sessions", "show", "myproj-9Kx7Z2"]);
    expect(show.stderr.toLowerCase()).toContain("not found");
  });

  it.concurrent("test_sessions_export", async () => {
    const p = project();
    const r = await p.run(["sessions", "export", "--output", "sessions.json"]);
    expect(r.code).toBe(0);
    const exported = JSON.parse(readFileSync(p.dir.join("sessions.json"), "utf8")) as { metadata: { session_id: string } }[];
    const sample = exported.filter((s) => SAMPLE_IDS.includes(s.metadata.session_id));
    expect(sample).toHaveLength(2);
  });

  it.concurrent("test_sessions_export_preserves_preview_messages", async () => {
    const p = project();
    expect((await p.run(["sessions", "export", "--output", "preview_sessions.json"])).code).toBe(0);
    const exported = JSON.parse(readFileSync(p.dir.join("preview_sessions.json"), "utf8")) as { metadata: { session_id: string }; conversation: Record<string, unknown> }[];
    expect(exported.find((s) => s.metadata.session_id === "myproj-preview01")!.conversation.preview_messages).toEqual(PREVIEW);
  });
});

describe("TestSessionsClearCommand", () => {
  it("test_sessions_clear_all_with_yes_flag", async () => {
    const p = project();
    // DIFFERS: `clear --yes` without a prefix refuses (exit 2) and asks for --all: safer.
    const refused = await p.run(["sessions", "clear", "--yes"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--all");
    const r = await p.run(["sessions", "clear", "--all", "--yes"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Found 6 sessions in the database; cleared 6\./);
    await withStore(p.dbPath, async (store) => expect(await store.countSessions()).toBe(0));
  });

  it("test_sessions_clear_with_prefix", async () => {
    const p = project();
    const r = await p.run(["sessions", "clear", "myproj-9Kx7", "--yes"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('matching prefix "myproj-9Kx7"; cleared 1');
    await withStore(p.dbPath, async (store) => {
      expect(await store.loadSession("myproj-9Kx7Z2")).toBeNull();
      expect(await store.loadSession("myproj-9Kx8A3B")).not.toBeNull();
    });
  });

  it.concurrent("test_sessions_clear_prefix_too_short", async () => {
    const r = await shared.run(["sessions", "clear", "short", "--yes"]);
    expect(r.code).not.toBe(0);
    // DIFFERS: a usage error (exit 2) on stderr.
    expect(r.stderr).toContain("The prefix must be at least 6 characters");
  });

  it.concurrent("test_sessions_clear_prefix_not_found", async () => {
    const r = await shared.run(["sessions", "clear", "nomatch-999", "--yes"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Found 0 sessions matching prefix "nomatch-999"; nothing to clear.');
  });

  it("test_sessions_clear_empty_database", async () => {
    const p = project();
    expect((await p.run(["sessions", "clear", "--all", "--yes"])).code).toBe(0);
    const r = await p.run(["sessions", "clear", "--all", "--yes"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Found 0 sessions in the database; nothing to clear.");
  });
});

describe("TestSessionsListAllFlag", () => {
  it("test_sessions_list_with_all_flag", async () => {
    const p = project();
    const extra = Array.from({ length: 15 }, (_, i) => ({
      metadata: { session_id: `extra-${i}`, created_at: "2026-01-01T00:00:00Z", updated_at: `2026-01-01T00:00:${String(i).padStart(2, "0")}Z`, model: "claude-sonnet-4-20250514", provider: "anthropic", profile: "default", title: `Extra Session ${i}`, tags: [] },
      conversation: { messages: [{ role: "user", content: `Test ${i}` }] },
      conversation_state: null,
      tool_selection_stats: null,
    }));
    writeFileSync(p.dir.join("extra.json"), JSON.stringify(extra));
    expect((await p.run(["sessions", "import", "extra.json"])).code).toBe(0);
    const byDefault = await p.run(["sessions", "list", "--json"]);
    const all = await p.run(["sessions", "list", "--all", "--json"]);
    expect(JSON.parse(byDefault.stdout)).toHaveLength(10);
    const titles = (JSON.parse(all.stdout) as Summary[]).map((s) => s.title);
    expect(titles.filter((t) => t.startsWith("Extra"))).toHaveLength(15);
    expect(titles).toHaveLength(21);
  });
});

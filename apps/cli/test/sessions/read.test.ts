import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProject, seed, type Project } from "./helpers.js";

const TOOL_CALL = [
  { role: "assistant", content: "Reading it.", tool_calls: [{ id: "c1", type: "function", function: { name: "read_file", arguments: '{"path":"src/auth.ts"}' } }] },
  { role: "tool", name: "read_file", tool_call_id: "c1", content: "export const login = () => {};" },
];

describe("victor sessions (read commands) on a project without a database", () => {
  let p: Project;
  beforeAll(() => {
    p = makeProject();
  });
  afterAll(() => p.remove());

  it("list says no sessions, --json prints [], and nothing is created", async () => {
    const human = await p.run(["sessions", "list"]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain("No saved sessions found");
    expect(human.stdout).toContain("/save");
    const json = await p.run(["sessions", "list", "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([]);
    const search = await p.run(["sessions", "search", "anything", "--json"]);
    expect(JSON.parse(search.stdout)).toEqual([]);
    const exported = await p.run(["sessions", "export"]);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toEqual([]);
    const stats = await p.run(["sessions", "stats", "--json"]);
    expect(JSON.parse(stats.stdout)).toMatchObject({ sessions: 0, messages: 0, exists: false });
    const show = await p.run(["sessions", "show", "20250107_153045"]);
    expect(show.code).toBe(1);
    expect(show.stderr).toContain("Session not found: 20250107_153045");
    const del = await p.run(["sessions", "delete", "20250107_153045", "--yes"]);
    expect(del.code).toBe(1);
    const clear = await p.run(["sessions", "clear", "--all", "--yes"]);
    expect(clear.code).toBe(0);
    expect(clear.stdout).toContain("Found 0 sessions");
    expect(existsSync(p.dir.join(".victor"))).toBe(false);
  });

  it("path prints the project database path without creating it", async () => {
    const r = await p.run(["sessions", "path"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/\.victor[/\\]project\.db$/);
    expect(existsSync(p.dir.join(".victor"))).toBe(false);
  });
});

describe("victor sessions (read commands) with sessions", () => {
  let p: Project;
  beforeAll(async () => {
    p = makeProject();
    await seed(p.dbPath, [
      { id: "20250107_153045", text: "Refactor the authentication module", title: "Auth refactor", extra: TOOL_CALL },
      { id: "20250107_160000", text: "Set up CI/CD pipeline for deploys" },
      { id: "20250108_090000", text: "Café naïveté 日本語 emoji 🚀 unicode check", model: "gpt-4o" },
      { id: "myproj-9Kx7Z2-aB3dEf_g1w", text: "A base62 id session" },
    ]);
  });
  afterAll(() => p.remove());

  it("list shows a table newest first with resume hints; --json is the summaries", async () => {
    const r = await p.run(["sessions", "list"]);
    expect(r.code).toBe(0);
    for (const h of ["ID", "Title", "Model", "Provider", "Messages", "Updated"]) expect(r.stdout).toContain(h);
    expect(r.stdout).toContain("Auth refactor");
    expect(r.stdout).toContain("victor chat --resume");
    expect(r.stdout).not.toMatch(/\x1b\[/); // NO_COLOR (runNode sets it) and not a TTY
    const json = await p.run(["sessions", "list", "--json"]);
    const list = JSON.parse(json.stdout) as { session_id: string; message_count: number }[];
    expect(list.map((s) => s.session_id)).toEqual(["myproj-9Kx7Z2-aB3dEf_g1w", "20250108_090000", "20250107_160000", "20250107_153045"]);
    expect(list[3]!.message_count).toBe(4);
  });

  it("list --limit and --all; bad values are usage errors (exit 2)", async () => {
    const two = JSON.parse((await p.run(["sessions", "list", "--limit", "2", "--json"])).stdout) as unknown[];
    expect(two).toHaveLength(2);
    const human = await p.run(["sessions", "list", "-n", "2"]);
    expect(human.stdout).toContain("Showing 2 of 4 sessions");
    const all = JSON.parse((await p.run(["sessions", "list", "--all", "--json"])).stdout) as unknown[];
    expect(all).toHaveLength(4);
    for (const bad of [["--limit", "0"], ["--limit", "abc"], ["--all", "--limit", "3"], ["--bogus"]]) {
      const r = await p.run(["sessions", "list", ...bad]);
      expect(r.code, bad.join(" ")).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.split("\n")[0]).toMatch(/^Error: /);
    }
  });

  it("`session` is an alias and colour appears only when forced", async () => {
    const r = await p.run(["session", "list"], { env: { FORCE_COLOR: "1", NO_COLOR: "" } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\x1b\[/);
  });

  it("show by unique prefix renders the panel and the whole conversation", async () => {
    const r = await p.run(["sessions", "show", "20250107_15"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("20250107_153045");
    expect(r.stdout).toContain("Auth refactor");
    expect(r.stdout).toContain("Refactor the authentication module");
    expect(r.stdout).toMatch(/tool call read_file\(\{"path":"src\/auth\.ts"\}\)/);
    expect(r.stdout).toContain("export const login = () => {};");
  });

  it("show --json prints the full envelope", async () => {
    const r = await p.run(["sessions", "show", "20250108", "--json"]);
    expect(r.code).toBe(0);
    const env = JSON.parse(r.stdout);
    expect(env.metadata.session_id).toBe("20250108_090000");
    expect(env.metadata.model).toBe("gpt-4o");
    expect(env.conversation.messages[0].content).toBe("Café naïveté 日本語 emoji 🚀 unicode check");
    expect(env.conversation.system_prompt).toBe("You are Victor.");
  });

  it("show: ambiguous prefix lists candidates (1), unknown id (1), malformed id (2)", async () => {
    const amb = await p.run(["sessions", "show", "20250107"]);
    expect(amb.code).toBe(1);
    expect(amb.stderr).toContain("20250107_153045");
    expect(amb.stderr).toContain("20250107_160000");
    const missing = await p.run(["sessions", "show", "19990101_000000", "--json"]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toContain("Session not found: 19990101_000000");
    const bad = await p.run(["sessions", "show", "../etc/passwd"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Invalid session id");
  });

  it("search finds words, prefixes and unicode; the table has a snippet; no hits is a clear line", async () => {
    const r = await p.run(["sessions", "search", "auth"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("20250107_153045");
    expect(r.stdout).toContain("Match");
    const json = JSON.parse((await p.run(["sessions", "search", "CI/CD", "--json"])).stdout) as { session_id: string; snippet: string }[];
    expect(json.map((s) => s.session_id)).toEqual(["20250107_160000"]);
    expect(json[0]!.snippet).toContain("CI");
    const uni = JSON.parse((await p.run(["sessions", "search", "日本語", "--json"])).stdout) as { session_id: string }[];
    expect(uni.map((s) => s.session_id)).toContain("20250108_090000");
    const none = await p.run(["sessions", "search", "zzzunfindable"]);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('No sessions match "zzzunfindable"');
    const limited = JSON.parse((await p.run(["sessions", "search", "answer", "--limit", "1", "--json"])).stdout) as unknown[];
    expect(limited).toHaveLength(1);
  });

  it("stats counts sessions and messages and names the database", async () => {
    const r = await p.run(["sessions", "stats", "--json"]);
    expect(r.code).toBe(0);
    const stats = JSON.parse(r.stdout);
    expect(stats).toMatchObject({ sessions: 4, messages: 10, exists: true });
    expect(stats.size_bytes).toBeGreaterThan(0);
    expect(stats.db_path).toBe(p.dbPath);
    const human = await p.run(["sessions", "stats"]);
    expect(human.stdout).toContain("project.db");
  });

  it("export ID --format markdown writes a readable transcript to a file", async () => {
    const r = await p.run(["sessions", "export", "20250107_153045", "--format", "markdown", "--output", "t.md"]);
    expect(r.code).toBe(0);
    const md = readFileSync(p.dir.join("t.md"), "utf8");
    expect(md).toMatch(/^# Auth refactor/);
    expect(md).toContain("## User");
    expect(md).toContain("**Tool call:** `read_file`");
    const bad = await p.run(["sessions", "export", "--format", "yaml"]);
    expect(bad.code).toBe(2);
  });
});

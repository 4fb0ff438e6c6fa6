import Database from "better-sqlite3";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/main.js";
import { makeProject, seed, type Project } from "./helpers.js";

let p: Project;
beforeEach(async () => {
  p = makeProject();
  await seed(p.dbPath, [
    { id: "20250107_153045", text: "first" },
    { id: "20250108_090000", text: "second" },
  ]);
});
afterEach(() => p.remove());

/** A stdout whose reader has gone away after `accept` bytes, like `| head -c N`. */
function closingPipe(accept: number): Writable {
  let taken = 0;
  return new Writable({
    write(chunk: Buffer, _enc, callback) {
      taken += chunk.length;
      if (taken > accept) callback(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
      else callback();
    },
  });
}

const collect = (): Writable & { text: string } => {
  const w = Object.assign(new Writable({ write: (c: Buffer, _e, cb) => ((w.text += c.toString()), cb()) }), { text: "" });
  return w;
};

describe("any stdout error is handled in one place", () => {
  it.each([
    [["sessions", "list", "--json"]],
    [["sessions", "show", "20250107"]],
    [["sessions", "export"]],
    [["sessions", "list"]],
    [["--help"]],
  ])("%j into a pipe closed early ends quietly with status 0", async (args) => {
    const stderr = collect();
    const code = await main(args, { stdin: process.stdin, stdout: closingPipe(10), stderr, env: { NO_COLOR: "1", HOME: p.home.path }, cwd: p.dir.path });
    expect(code).toBe(0);
    expect(stderr.text).toBe("");
  });

  it("a full disk is one clear line and status 1", async () => {
    const full = new Writable({ write: (_c, _e, cb) => cb(Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" })) });
    const stderr = collect();
    const code = await main(["sessions", "export"], { stdin: process.stdin, stdout: full, stderr, env: { NO_COLOR: "1" }, cwd: p.dir.path });
    expect(code).toBe(1);
    expect(stderr.text).toBe("Error: cannot write to standard output: no space left on the device\n");
  });
});

describe("export files", () => {
  it("a damaged session half way: one clear line naming it, status 1, no partial file, no temporary left", async () => {
    const db = new Database(p.dbPath);
    db.prepare(`UPDATE sessions SET data = '{bad' WHERE id = '20250108_090000'`).run();
    db.close();
    const r = await p.run(["sessions", "export", "-o", "all.json"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      `Error: Session 20250108_090000 in ${p.dbPath} cannot be read: its stored data is damaged (Expected property name or '}' in JSON at position 1). Nothing was written to ${p.dir.join("all.json")}.`,
    ]);
    expect(readdirSync(p.dir.path).filter((f) => f.includes("all.json"))).toEqual([]);
    // The other session is fine.
    expect((await p.run(["sessions", "show", "20250107", "--json"])).code).toBe(0);
  });

  it("replaces a regular file through a rename, writes to a device directly, refuses links and folders", async () => {
    writeFileSync(p.dir.join("old.json"), "old");
    expect((await p.run(["sessions", "export", "-o", "old.json"])).code).toBe(0);
    expect(JSON.parse((await import("node:fs")).readFileSync(p.dir.join("old.json"), "utf8"))).toHaveLength(2);
    expect((await p.run(["sessions", "export", "-o", "/dev/null"])).code).toBe(0);
    expect(existsSync("/dev/null")).toBe(true);
    const dir = await p.run(["sessions", "export", "-o", p.dir.path]);
    expect(dir.code).toBe(1);
    expect(dir.stderr).toMatch(/Cannot write .*: it is a folder\./);
    const missing = await p.run(["sessions", "export", "-o", "nope/out.json"]);
    expect(missing.stderr).toMatch(/Cannot write .*out\.json: the folder .*nope does not exist\./);
  });
});

describe("destructive commands delete exactly what they listed", () => {
  it("clear PREFIX: a session saved while the question waits is kept", async () => {
    const stdin = Object.assign(new (await import("node:stream")).PassThrough(), { isTTY: true });
    const stdout = collect();
    const stderr = Object.assign(collect(), {});
    const running = main(["sessions", "clear", "202501"], { stdin, stdout, stderr, env: { NO_COLOR: "1" }, cwd: p.dir.path });
    await new Promise<void>((resolve) => {
      const wait = (): void => void (stderr.text.includes("[y/N]") ? resolve() : setTimeout(wait, 5));
      wait();
    });
    expect(stderr.text).toContain("Delete 2 sessions");
    await seed(p.dbPath, [{ id: "20250109_120000", text: "saved meanwhile" }]);
    stdin.end("y\n");
    expect(await running).toBe(0);
    expect(stdout.text).toContain("Found 2 sessions matching prefix \"202501\"; cleared 2.");
    const left = JSON.parse((await p.run(["sessions", "list", "--json"])).stdout) as { session_id: string }[];
    expect(left.map((s) => s.session_id)).toEqual(["20250109_120000"]);
  });
});

describe("command line basics", () => {
  it("suggests the command meant by a typo, as a usage error", async () => {
    const top = await p.run(["sesions", "list"]);
    expect(top.code).toBe(2);
    expect(top.stderr).toContain('Unknown command "sesions". Did you mean: victor sessions');
    const sub = await p.run(["sessions", "lsit"]);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain('Unknown command "lsit". Did you mean: victor sessions list');
  });

  it("a provider typo is an error listing the providers", async () => {
    const r = await p.run(["chat", "--provider", "antropic"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown provider "antropic" (did you mean anthropic?): use one of anthropic, openai, ollama, openai-compatible.');
  });

  it("completion: scripts for bash and zsh, and session ids completed from the database", async () => {
    expect((await p.run(["completion", "bash"])).stdout).toContain("complete -o bashdefault -o default -F _victor_completions victor");
    expect((await p.run(["completion"], { env: { SHELL: "/bin/zsh" } })).stdout).toContain("#compdef victor");
    expect((await p.run(["completion", "fish"])).code).toBe(2);
    const ids = await p.run(["--complete", "victor", "sessions", "show", "20250107"]);
    expect(ids.stdout.trim().split("\n")).toEqual(["20250107_153045"]);
    expect((await p.run(["--complete", "victor", "sess"])).stdout.trim()).toBe("sessions");
    expect((await p.run(["--complete", "victor", "sessions", "ex"])).stdout.trim()).toBe("export");
    expect((await p.run(["--complete", "victor", "sessions", "export", "--f"])).stdout.trim()).toBe("--format");
    expect((await p.run(["--complete", "victor", "sessions", "export", "--format", ""])).stdout.trim().split("\n")).toEqual(["json", "markdown"]);
    expect((await p.run(["--complete", "victor", "chat", "--provider", "o"])).stdout.trim().split("\n")).toEqual(["openai", "ollama", "openai-compatible"]);
    expect((await p.run(["--complete", "victor", "chat", "--resume", "2025"])).stdout.trim().split("\n")).toEqual(["20250107_153045", "20250108_090000"]);
    // Completing a destructive line never runs it.
    await p.run(["--complete", "victor", "sessions", "delete", "20250107_153045", "--yes"]);
    expect(JSON.parse((await p.run(["sessions", "list", "--json"])).stdout)).toHaveLength(2);
  });

  it("the completion table names exactly the commands yargs has", async () => {
    const { COMPLETION_TREE } = await import("../../src/completion/shell-completion.js");
    const help = (await p.run(["sessions", "--help"])).stdout;
    const listed = [...help.matchAll(/^ {2}victor sessions (\w+)/gm)].map((m) => m[1]).sort();
    expect(Object.keys(COMPLETION_TREE.sessions as object).sort()).toEqual(listed);
    const top = [...(await p.run(["--help"])).stdout.matchAll(/^ {2}victor (\w+)/gm)].map((m) => m[1]).sort();
    expect(Object.keys(COMPLETION_TREE).sort()).toEqual(top);
  });

  it("--version prints the package version", async () => {
    const { VERSION } = await import("../../src/version.js");
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
    expect((await p.run(["--version"])).stdout.trim()).toBe(VERSION);
  });
});

import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { InvalidConfigError } from "../src/domain/errors.js";
import { readProjectConfig } from "../src/domain/project-config.js";
import { currentProjectKey, gitRemoteUrl, projectKeyFromRemote, resolveProjectKey } from "../src/domain/project-key.js";
import { cleanupTempDirs, tempDir } from "./helpers.js";

afterEach(cleanupTempDirs);

describe("projectKeyFromRemote", () => {
  it.each([
    ["https://github.com/org/repo.git", "github.com/org/repo"],
    ["https://github.com/org/repo", "github.com/org/repo"],
    ["https://user:ghp_secret@GitHub.com/org/repo/", "github.com/org/repo"],
    ["git@github.com:org/repo.git", "github.com/org/repo"],
    ["github.com:org/repo", "github.com/org/repo"],
    ["ssh://git@github.com:22/org/repo.git", "github.com/org/repo"],
    ["ssh://git@github.com/org/repo", "github.com/org/repo"],
    ["git+ssh://git@host.example/org/repo.git", "host.example/org/repo"],
    ["git://example.org/path/to/repo", "example.org/path/to/repo"],
    ["http://gitlab.example.com:8080/group/sub/repo.git", "gitlab.example.com/group/sub/repo"],
    ["  https://github.com//org//repo.git/  ", "github.com/org/repo"],
    ["ssh://git@[::1]:2222/org/repo.git", "::1/org/repo"],
  ])("%s → %s", (remote, key) => {
    expect(projectKeyFromRemote(remote)).toBe(key);
  });

  it.each(["/srv/git/repo.git", "./repo", "../repo.git", "file:///srv/git/repo.git", "C:\\repos\\app", "C:/repos/app", "", "https://", "not a remote"])("%j is not a remote key", (remote) => {
    expect(projectKeyFromRemote(remote)).toBeNull();
  });
});

describe("resolveProjectKey", () => {
  it("uses the origin remote of a real git repository", () => {
    const root = tempDir();
    execFileSync("git", ["init", "-q", root]);
    execFileSync("git", ["-C", root, "remote", "add", "upstream", "https://github.com/other/fork.git"]);
    execFileSync("git", ["-C", root, "remote", "add", "origin", "git@github.com:acme/app.git"]);
    expect(gitRemoteUrl(root)).toBe("git@github.com:acme/app.git");
    expect(resolveProjectKey({ projectRoot: root, configured: "ignored" })).toBe("github.com/acme/app");
  });

  it("takes the first remote when there is no origin", () => {
    const root = tempDir();
    execFileSync("git", ["init", "-q", root]);
    execFileSync("git", ["-C", root, "remote", "add", "upstream", "https://github.com/acme/up.git"]);
    expect(resolveProjectKey({ projectRoot: root })).toBe("github.com/acme/up");
  });

  it("follows a linked worktree's .git file to the main repository's config", () => {
    const main = tempDir();
    mkdirSync(join(main, ".git", "worktrees", "feature"), { recursive: true });
    writeFileSync(join(main, ".git", "config"), '[core]\n\tbare = false\n[remote "origin"]\n\turl = https://github.com/acme/app.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n');
    writeFileSync(join(main, ".git", "worktrees", "feature", "commondir"), "../..\n");
    const worktree = tempDir();
    writeFileSync(join(worktree, ".git"), `gitdir: ${join(main, ".git", "worktrees", "feature")}\n`);
    expect(resolveProjectKey({ projectRoot: worktree })).toBe("github.com/acme/app");
  });

  it("falls back to the configured name without a remote, and to null without either", () => {
    const root = tempDir();
    execFileSync("git", ["init", "-q", root]);
    expect(resolveProjectKey({ projectRoot: root, configured: " my-project " })).toBe("my-project");
    expect(resolveProjectKey({ projectRoot: tempDir() })).toBeNull();
    expect(resolveProjectKey({ projectRoot: tempDir(), configured: "  " })).toBeNull();
  });
});

describe("currentProjectKey: --project, then the git remote, then VICTOR_PROJECT, then .victor/config.json", () => {
  const withConfig = (config: string): string => {
    const root = tempDir();
    mkdirSync(join(root, ".victor"));
    writeFileSync(join(root, ".victor", "config.json"), config);
    return root;
  };

  it("takes each source in turn", () => {
    const root = withConfig('{ "project": "from-config", "remote": "postgres://db.example/victor" }');
    const env = { HOME: tempDir() };
    expect(currentProjectKey({ cwd: root, env })).toBe("from-config");
    expect(currentProjectKey({ cwd: root, env: { ...env, VICTOR_PROJECT: "from-env" } })).toBe("from-env");
    execFileSync("git", ["init", "-q", root]);
    execFileSync("git", ["-C", root, "remote", "add", "origin", "git@github.com:acme/app.git"]);
    expect(currentProjectKey({ cwd: join(root), env: { ...env, VICTOR_PROJECT: "from-env" } })).toBe("github.com/acme/app");
    expect(currentProjectKey({ cwd: root, env, project: " named " })).toBe("named");
    expect(currentProjectKey({ cwd: tempDir(), env })).toBeNull();
    expect(readProjectConfig(root)).toEqual({ project: "from-config", remote: "postgres://db.example/victor" });
  });

  it("a config that cannot be used is an error naming the file and what is wrong, never quoting it", () => {
    const secret = "s3cr3t-password";
    for (const [text, message] of [
      [`{ "remote": "postgres://alice:${secret}@db/victor", }`, /not valid JSON \(at character \d+\)/],
      ["[]", /must be a JSON object/],
      ['{ "projet": "typo" }', /unknown setting "projet"/],
      ['{ "project": 42 }', /"project" must be a non-empty string/],
    ] as const) {
      const root = withConfig(text);
      const error = (() => {
        try {
          readProjectConfig(root);
        } catch (e) {
          return e as InvalidConfigError;
        }
      })();
      expect(error).toBeInstanceOf(InvalidConfigError);
      expect(error!.message).toMatch(message);
      expect(error!.message).toContain(join(root, ".victor", "config.json"));
      expect(error!.message).not.toContain(secret);
      expect(error!.exitCode).toBe(2);
    }
  });
});

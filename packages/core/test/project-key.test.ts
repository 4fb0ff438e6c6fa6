import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { gitRemoteUrl, projectKeyFromRemote, resolveProjectKey } from "../src/domain/project-key.js";
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

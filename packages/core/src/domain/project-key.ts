import { readFileSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";

/**
 * The project key of a git remote: host and path, without scheme, user, password, port or `.git`,
 * so every clone of a repository gets the same key whichever way it was cloned:
 * `https://github.com/org/repo.git`, `git@github.com:org/repo`, `ssh://git@github.com:22/org/repo`
 * all give `github.com/org/repo`. The host is lower-cased (it is case-insensitive); the path is
 * kept as written. Null for a remote that is a local path or file:// URL (not the same on another
 * machine), or that cannot be read as a remote.
 */
export function projectKeyFromRemote(remote: string): string | null {
  const text = remote.trim();
  let host: string;
  let path: string;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (scheme) {
    if (scheme[1]!.toLowerCase() === "file") return null;
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return null;
    }
    host = url.hostname;
    path = decodeURIComponent(url.pathname);
  } else {
    // scp-like syntax: [user@]host:path (a colon before any slash; not a Windows drive letter)
    const scp = /^(?:[^@/]+@)?([^:/]{2,}):(.+)$/.exec(text);
    if (!scp) return null;
    host = scp[1]!;
    path = scp[2]!;
  }
  host = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  path = path.replace(/^\/+/, "").replace(/\/+/g, "/").replace(/\/$/, "").replace(/\.git$/, "").replace(/\/$/, "");
  if (host === "" || path === "") return null;
  return `${host}/${path}`;
}

/** The git directory of a work tree: `.git` itself, or where a worktree's `.git` file points. */
function gitDirectory(projectRoot: string): string | null {
  const dotGit = join(projectRoot, ".git");
  try {
    if (statSync(dotGit).isDirectory()) return dotGit;
    const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, "utf8"));
    if (!pointer) return null;
    const gitDir = resolve(projectRoot, pointer[1]!.trim());
    // A linked worktree keeps its config in the main repository (named by its commondir file).
    try {
      const common = readFileSync(join(gitDir, "commondir"), "utf8").trim();
      return isAbsolute(common) ? common : resolve(gitDir, common);
    } catch {
      return gitDir;
    }
  } catch {
    return null;
  }
}

/**
 * The URL of the project's `origin` remote (else of its first remote), read from the git config
 * file: no git process is started. Null when the project is not a git work tree or has no remote.
 */
export function gitRemoteUrl(projectRoot: string): string | null {
  const gitDir = gitDirectory(projectRoot);
  if (!gitDir) return null;
  let config: string;
  try {
    config = readFileSync(join(gitDir, "config"), "utf8");
  } catch {
    return null;
  }
  const remotes = new Map<string, string>();
  let section: string | null = null;
  for (const line of config.split(/\r?\n/)) {
    const header = /^\s*\[\s*remote\s+"([^"]+)"\s*\]/.exec(line);
    if (header) {
      section = header[1]!;
      continue;
    }
    if (/^\s*\[/.test(line)) {
      section = null;
      continue;
    }
    const url = /^\s*url\s*=\s*(.+?)\s*$/.exec(line);
    if (section !== null && url && !remotes.has(section)) remotes.set(section, url[1]!.replace(/^"(.*)"$/, "$1"));
  }
  return remotes.get("origin") ?? remotes.values().next().value ?? null;
}

/**
 * The key that names a project on a shared server, the same on every machine: the normalised git
 * remote when the project has one, else the configured name (`--project`, config). Null when
 * there is neither: the caller asks the user to name the project.
 */
export function resolveProjectKey(options: { projectRoot: string; configured?: string | null }): string | null {
  const remote = gitRemoteUrl(options.projectRoot);
  const fromRemote = remote === null ? null : projectKeyFromRemote(remote);
  if (fromRemote !== null) return fromRemote;
  const configured = options.configured?.trim();
  return configured ? configured : null;
}

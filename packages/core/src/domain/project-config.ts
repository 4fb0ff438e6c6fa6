import { readFileSync } from "node:fs";
import { join } from "node:path";
import { InvalidConfigError } from "./errors.js";
import { PROJECT_DIR_NAME } from "./paths.js";

export const CONFIG_FILE_NAME = "config.json";

/**
 * A project's own settings, `<project>/.victor/config.json` (read, never written by Victor):
 * `project` names the project on a shared server when it has no git remote; `remote` is where
 * `victor sessions push`/`pull`/`sync` go when no `--to`/`--from` says otherwise.
 */
export interface ProjectConfig {
  project?: string;
  remote?: string;
}

export function projectConfigPath(projectRoot: string): string {
  return join(projectRoot, PROJECT_DIR_NAME, CONFIG_FILE_NAME);
}

const KEYS: readonly (keyof ProjectConfig)[] = ["project", "remote"];

/** The project's config; {} when there is none; InvalidConfigError when it cannot be used. */
export function readProjectConfig(projectRoot: string): ProjectConfig {
  const path = projectConfigPath(projectRoot);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new InvalidConfigError(path, `it cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // Not the parser's message: it quotes the text, and a remote URL there may hold a password.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new InvalidConfigError(path, `it is not valid JSON${position === undefined ? "" : ` (at character ${position})`}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InvalidConfigError(path, 'it must be a JSON object, e.g. { "project": "my-project" }');
  const config: ProjectConfig = {};
  for (const [key, setting] of Object.entries(value)) {
    if (!KEYS.includes(key as keyof ProjectConfig)) throw new InvalidConfigError(path, `unknown setting "${key}" (known: ${KEYS.join(", ")})`);
    if (typeof setting !== "string" || setting.trim() === "") throw new InvalidConfigError(path, `"${key}" must be a non-empty string`);
    config[key as keyof ProjectConfig] = setting.trim();
  }
  return config;
}

import type { SessionStore } from "@victor/core";
import { DEFAULT_MODEL, KNOWN_PROVIDERS } from "../providers/config.js";
import { commandNames, findCommand } from "../slash/registry.js";
import type { SlashCommand } from "../slash/types.js";
import { legacyIds } from "./legacy-file.js";

export interface CompletionSources {
  commands: readonly SlashCommand[];
  /** The store if the database exists (completion never creates one). */
  store(): Promise<SessionStore | null>;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The model in use, offered first for /switch. */
  current(): { provider: string; model: string };
}

/** Models worth offering for `/switch provider:…`: the current one, the default, those sessions were saved with. */
async function knownModels(sources: CompletionSources): Promise<string[]> {
  const { provider, model } = sources.current();
  const names = new Set([`${provider}:${model}`, `ollama:${DEFAULT_MODEL}`]);
  const store = await sources.store();
  if (store) {
    for (const s of await store.listSessions({ limit: 200 })) if (s.provider && s.model) names.add(`${s.provider}:${s.model}`);
  }
  return [...names, ...KNOWN_PROVIDERS.map((p) => `${p}:`)];
}

async function sessionIds(sources: CompletionSources, prefix: string): Promise<string[]> {
  const store = await sources.store();
  if (!store) return [];
  if (prefix === "") return (await store.listSessions({ limit: 30 })).map((s) => s.id);
  try {
    return await store.findSessionIds(prefix, 30);
  } catch {
    return [];
  }
}

/** What can follow `words` (the line so far, split) at the word being typed. */
export async function completions(sources: CompletionSources, line: string): Promise<string[]> {
  if (!line.startsWith("/")) return [];
  const words = line.split(/\s+/);
  const typed = words.at(-1) ?? "";
  // A finished word gets its space, as in a shell; a `provider:` waits for its model.
  const finish = (candidates: string[]): string[] => candidates.filter((c) => c.startsWith(typed)).map((c) => (c.endsWith(":") ? c : `${c} `));
  if (words.length === 1) return finish(commandNames(sources.commands).map((n) => `/${n}`));
  const command = findCommand(words[0]!.slice(1), sources.commands);
  if (!command) return [];
  if (typed.startsWith("-")) return finish([...(command.flags ?? [])]);
  const previous = words.at(-2);
  const wantsId = command.completes === "session-id" || (command.name === "switch" && previous === "--resume");
  let candidates: string[] = [];
  if (wantsId) candidates = await sessionIds(sources, typed);
  else if (command.completes === "legacy-id") candidates = legacyIds(sources.cwd, sources.env).map((f) => f.id);
  else if (command.completes === "model") candidates = await knownModels(sources);
  return finish(candidates);
}

/** readline's completer: completions of the last word of the line. */
export function createCompleter(sources: CompletionSources) {
  return (line: string, callback: (error?: Error | null, result?: [string[], string]) => void): void => {
    const typed = line.split(/\s+/).at(-1) ?? "";
    completions(sources, line).then(
      (hits) => callback(null, [hits, typed]),
      () => callback(null, [[], typed]),
    );
  };
}

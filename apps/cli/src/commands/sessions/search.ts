import type { SearchResult } from "@victor/core";
import type { Argv, CommandModule } from "yargs";
import { UsageError } from "../../errors.js";
import { parseCount } from "../../parse-count.js";
import { plural } from "../../ui/format.js";
import { ALL_PROJECTS_HELP, outsideNote, renderSearchTable } from "../../ui/session-views.js";
import { toJsonSummary } from "./json-vocabulary.js";
import { type GlobalArgs, withReadStore } from "./shared.js";

export interface SearchArgs extends GlobalArgs {
  query: string[];
  limit?: number;
  json?: boolean;
  "all-projects"?: boolean;
}

export const DEFAULT_SEARCH_LIMIT = 10;

/** The words after `search` form one query (`victor sessions search auth bug` = "auth bug"). */
export function searchQuery(words: readonly unknown[] | undefined): string {
  const query = (words ?? []).map(String).join(" ").trim();
  if (query === "") throw new UsageError("Give something to search for: victor sessions search QUERY");
  return query;
}

export const searchCommand: CommandModule<GlobalArgs, SearchArgs> = {
  command: "search <query..>",
  describe: "Search titles and message content",
  builder: (y) =>
    y
      .positional("query", { type: "string", array: true, describe: "Words or a phrase to find" })
      .option("limit", { alias: "n", type: "number", describe: `How many results (default ${DEFAULT_SEARCH_LIMIT})` })
      .option("json", { type: "boolean", describe: "Print JSON (an array of matches with snippets)" })
      .option("all-projects", { type: "boolean", describe: ALL_PROJECTS_HELP }) as unknown as Argv<SearchArgs>,
  handler: async (args) => {
    const query = searchQuery(args.query);
    const limit = args.limit === undefined ? DEFAULT_SEARCH_LIMIT : parseCount(args.limit, "--limit");
    const allProjects = args["all-projects"] === true;
    const results = await withReadStore(args, async (store) => (store ? store.searchSessions(query, { limit, allProjects }) : ([] as SearchResult[])));
    const t = args.terminal;
    if (args.json) return t.printJson(results.map(toJsonSummary));
    if (results.length === 0) {
      t.tell(`No sessions match ${JSON.stringify(query)}.`);
      return;
    }
    t.say(renderSearchTable(t.c, results, t.width(), { projects: allProjects }));
    const note = outsideNote(results);
    if (note) t.note(note);
    t.note(`${plural(results.length, "match", "matches")}${results.length === limit ? ` (the first ${limit}; --limit N for more)` : ""}. Show one: victor sessions show <id>`);
  },
};

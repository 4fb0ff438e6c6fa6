import { UsageError } from "../../errors.js";
import { parseCount } from "../../parse-count.js";
import { outsideNote, renderSearchTable } from "../../ui/session-views.js";
import type { SlashCommand } from "../types.js";

const DEFAULT_LIMIT = 10;

/**
 * Takes `--limit N` (or `--limit=N`) out of the words, as `victor sessions search` has it. Any other
 * word starting with `--` stays part of the query: people search their chats for flags too.
 */
function splitLimit(args: readonly string[]): { limit: number; words: string[] } {
  let limit = DEFAULT_LIMIT;
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--limit") {
      if (args[i + 1] === undefined) throw new UsageError("/search: --limit needs a value.");
      limit = parseCount(args[++i], "/search --limit");
    } else if (arg.startsWith("--limit=")) limit = parseCount(arg.slice("--limit=".length), "/search --limit");
    else words.push(arg);
  }
  return { limit, words };
}

export const searchCommand: SlashCommand = {
  name: "search",
  aliases: [],
  description: "Search saved sessions by title and message text",
  usage: "/search QUERY [--limit N]",
  flags: ["--limit"],
  async run(ctx, args) {
    const { limit, words } = splitLimit(args);
    const query = words.join(" ").trim();
    if (!query) throw new UsageError("Usage: /search QUERY [--limit N]");
    const store = await ctx.existingStore();
    const results = store ? await store.searchSessions(query, { limit }) : [];
    if (results.length === 0) {
      ctx.tell(`No sessions match ${JSON.stringify(query)}.`);
      return;
    }
    ctx.print(renderSearchTable(ctx.c, results, ctx.width()));
    const note = outsideNote(results);
    if (note) ctx.note(note);
    ctx.note("Resume one: /resume <id>");
  },
};

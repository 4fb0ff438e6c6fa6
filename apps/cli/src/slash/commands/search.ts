import { UsageError } from "../../errors.js";
import { outsideNote, renderSearchTable } from "../../ui/session-views.js";
import type { SlashCommand } from "../types.js";

export const searchCommand: SlashCommand = {
  name: "search",
  aliases: [],
  description: "Search saved sessions by title and message text",
  usage: "/search QUERY",
  async run(ctx, args) {
    const query = args.join(" ").trim();
    if (!query) throw new UsageError("Usage: /search QUERY");
    const store = await ctx.existingStore();
    const results = store ? await store.searchSessions(query, { limit: 10 }) : [];
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

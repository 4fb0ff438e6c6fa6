import { UsageError } from "../../errors.js";
import { formatTimestamp, truncate } from "../../ui/format.js";
import { renderTable } from "../../ui/table.js";
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
      ctx.print(`No sessions match "${query}".`);
      return;
    }
    ctx.print(renderTable(ctx.c, ["ID", "Title", "Match", "Updated"], results.map((r) => [r.id, truncate(r.title, 40), truncate(r.snippet.replace(/\s+/g, " "), 60), formatTimestamp(r.updatedAt)])));
    ctx.print(ctx.c.dim("Resume one: /resume <id>"));
  },
};

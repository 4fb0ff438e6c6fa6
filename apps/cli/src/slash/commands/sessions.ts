import { parseCount } from "../../parse-count.js";
import { NO_SESSIONS, renderSessionsTable } from "../../ui/session-views.js";
import type { SlashCommand } from "../types.js";

export const sessionsCommand: SlashCommand = {
  name: "sessions",
  aliases: ["history"],
  description: "List the most recently updated saved sessions",
  usage: "/sessions [N]",
  async run(ctx, args) {
    const limit = args[0] === undefined ? 10 : parseCount(args[0], "/sessions N");
    const store = await ctx.existingStore();
    const sessions = store ? await store.listSessions({ limit }) : [];
    if (sessions.length === 0) {
      ctx.print(NO_SESSIONS);
      ctx.note('Save the conversation with /save "My Session".');
      return;
    }
    ctx.print(renderSessionsTable(ctx.c, sessions, ctx.width()));
    ctx.note("Resume one: /resume <id>  ·  with another model: /switch <provider:model> --resume <id>");
  },
};

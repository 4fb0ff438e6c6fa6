import { sanitizeLine } from "@victor/terminal";
import { CliError, UsageError } from "../../errors.js";
import type { SlashCommand } from "../types.js";

export const renameCommand: SlashCommand = {
  name: "rename",
  aliases: [],
  description: "Rename the active session",
  usage: "/rename TITLE",
  async run(ctx, args) {
    const title = args.join(" ").trim();
    if (!title) throw new UsageError("Usage: /rename TITLE");
    const { state } = ctx;
    if (!state.activeSessionId) throw new CliError(`No active session to rename: save first with /save "${title}".`);
    const store = await ctx.store();
    // Our own write: the store keeps its base in step, so the next /save is not a false conflict.
    const { sessionId } = await store.renameSession(state.activeSessionId, title);
    ctx.tell(`Renamed session ${sessionId} to "${sanitizeLine(title.replace(/\s+/g, " "))}".`);
  },
};

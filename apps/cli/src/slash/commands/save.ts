import { renderPanel } from "@victor/terminal";
import { parseFlags } from "../flags.js";
import { saveConversation } from "../save-conversation.js";
import type { SlashCommand } from "../types.js";

export const saveCommand: SlashCommand = {
  name: "save",
  aliases: [],
  description: "Save the conversation (first save creates a session, later saves update it)",
  usage: "/save [--new] [--force] [title…]",
  flags: ["--new", "--force"],
  async run(ctx, args) {
    const { flags, rest } = parseFlags("save", args, { booleans: ["new", "force"] });
    const title = rest.join(" ").trim() || undefined;
    const outcome = await saveConversation(ctx, { title, asNew: flags.new === true, force: flags.force === true });
    if ("nothing" in outcome) {
      ctx.warn("Nothing to save yet: send a message first (or /resume a saved session).");
      return;
    }
    if ("refused" in outcome) {
      // The message names both ways out: /save --new or /save --force.
      ctx.warn(`Not saved: ${outcome.refused}`);
      return;
    }
    if ("notYet" in outcome) {
      ctx.warn(`Not saved yet: ${outcome.notYet}`);
      return;
    }
    const { saved, store } = outcome;
    ctx.print(
      renderPanel(
        ctx.c,
        "Session Saved",
        [
          ["Action", saved.created ? "created" : "updated"],
          ["ID", saved.sessionId],
          ["Database", store.dbPath],
          ["Title", saved.title],
          ["Messages", String(saved.messageCount)],
        ],
        { footer: `Resume later with: /resume ${saved.sessionId}`, width: ctx.width() },
      ),
    );
  },
};

import { renderPanel } from "@victor/terminal";
import { CliError } from "../../errors.js";
import { parseCount } from "../../parse-count.js";
import { plural } from "../../ui/format.js";
import { parseFlags } from "../flags.js";
import { saveInputFor } from "../save-conversation.js";
import type { SlashCommand } from "../types.js";
import { settleUnsaved } from "../unsaved.js";

export const forkCommand: SlashCommand = {
  name: "fork",
  aliases: [],
  description: "Continue in a new session holding messages 1 to N of this one (default: all); it remembers where it came from",
  usage: "/fork [N] [title…]",
  async run(ctx, args) {
    const { rest } = parseFlags("fork", args, {});
    // Anything that reads as a number is the N (so "-1" or "2.5" is an error, not a title).
    const numbered = rest[0] !== undefined && /^[-+]?(\d+\.?\d*|\.\d+)$/.test(rest[0]);
    const at = numbered ? parseCount(rest[0], "/fork N") : undefined;
    const title = (numbered ? rest.slice(1) : rest).join(" ").trim() || undefined;
    const { state } = ctx;
    const parent = state.activeSessionId;
    if (!parent) throw new CliError("/fork needs a saved session to fork from: /save first (a fork remembers the session it came from and where).");
    const count = state.messages.length;
    const point = at ?? count;
    if (count === 0) throw new CliError("Nothing to fork: the conversation is empty.");
    if (point > count) throw new CliError(`The conversation has ${plural(count, "message")}: /fork N takes 1 to ${count} (as /status and show count them).`);
    if (!(await settleUnsaved(ctx, `forking ${parent}`, `Note: session ${parent} had unsaved messages; they were not saved to it (the fork has its first ${point}).`))) return;
    const store = await ctx.store();
    const origin = state.sessionOrigin;
    const { createdAt: _copyTime, ...base } = saveInputFor(state, { asNew: true });
    const saved = await store.saveSession({
      ...base,
      conversation: { ...base.conversation, messages: state.messages.slice(0, point) },
      title: title ?? (origin?.titleIsCustom ? `${origin.title} (fork)` : undefined),
      parentId: parent,
      forkPoint: point,
    });
    await store.checkpoint();
    // The chat goes on in the fork, as it is stored.
    state.restoreSession(await store.getSession(saved.sessionId));
    ctx.print(
      renderPanel(
        ctx.c,
        "Session Forked",
        [
          ["From", `${parent} at message ${point}`],
          ["New ID", saved.sessionId],
          ["Title", saved.title],
          ["Messages", String(saved.messageCount)],
        ],
        { footer: `The chat continues in the fork; /resume ${parent} goes back.`, width: ctx.width() },
      ),
    );
  },
};

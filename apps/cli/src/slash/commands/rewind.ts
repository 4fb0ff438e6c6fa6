import { deriveTitle } from "@victor/core";
import { CliError, UsageError } from "../../errors.js";
import { parseCount } from "../../parse-count.js";
import { plural } from "../../ui/format.js";
import { parseFlags } from "../flags.js";
import { saveInputFor } from "../save-conversation.js";
import type { SlashCommand } from "../types.js";

export const rewindCommand: SlashCommand = {
  name: "rewind",
  aliases: [],
  description: "Drop the last N exchanges (default 1) to ask again; what is dropped is kept as a fork",
  usage: "/rewind [N]",
  async run(ctx, args) {
    const { rest } = parseFlags("rewind", args, {});
    // Dropping turns is not a place to guess what extra words meant.
    if (rest.length > 1) throw new UsageError(`Usage: /rewind [N] (one number of exchanges, not "${rest.join(" ")}")`);
    const exchanges = rest[0] === undefined ? 1 : parseCount(rest[0], "/rewind N");
    const { state } = ctx;
    const messages = state.messages;
    const questions = messages.flatMap((m, i) => (m.role === "user" ? [i] : []));
    if (questions.length === 0) {
      ctx.tell("Nothing to rewind: no exchange in this conversation yet.");
      return;
    }
    if (exchanges > questions.length) throw new CliError(`Only ${plural(questions.length, "exchange")} to rewind.`);
    const cut = questions[questions.length - exchanges]!;
    // Nothing is lost: the conversation as it is now is kept, at once, as a fork of the session.
    const store = await ctx.store();
    const parent = state.activeSessionId;
    const kept = await store.saveSession({
      ...saveInputFor(state, { asNew: true }),
      title: `${state.sessionOrigin?.title ?? deriveTitle(messages)} (before rewind)`,
      ...(parent ? { parentId: parent, forkPoint: cut } : {}),
    });
    await store.checkpoint();
    state.changeContext("rewind", messages.slice(0, cut));
    ctx.tell(
      `Rewound ${plural(exchanges, "exchange")} (${plural(messages.length - cut, "message")}); ${plural(cut, "message")} left. ` +
        `What was dropped is kept in session ${kept.sessionId}${parent ? ` (a fork of ${parent} at message ${cut})` : ""}: /resume ${kept.sessionId} goes back to it. ` +
        `${parent ? `/save updates session ${parent}` : "/save stores this conversation"}; /compact --undo takes the rewind back.`,
    );
  },
};

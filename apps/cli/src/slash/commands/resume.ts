import type { SessionSummary } from "@victor/core";
import { sanitizeLine, truncateToWidth } from "@victor/terminal";
import { formatTimestamp, plural } from "../../ui/format.js";
import { NO_SESSIONS } from "../../ui/session-views.js";
import { resumeAnotherSession } from "../resume-session.js";
import type { SlashCommand, SlashContext } from "../types.js";

const LISTED = 10;

/** Without a terminal (piped input): today's numbered list, the number read from the next line. */
async function chooseFromList(ctx: SlashContext, sessions: readonly SessionSummary[]): Promise<string | null> {
  const width = ctx.width();
  sessions.forEach((s, i) => {
    const line = `${String(i + 1).padStart(2)}. ${s.id}  ${sanitizeLine(s.title)}  ${sanitizeLine(`${s.provider}:${s.model}`)} · ${plural(s.messageCount, "message")} · ${formatTimestamp(s.updatedAt)}`;
    ctx.print(width === undefined ? line : truncateToWidth(line, width));
  });
  const answer = (await ctx.prompts.readLine(`Session number to resume (1-${sessions.length}, empty cancels): `))?.trim() ?? "";
  const choice = /^\d+$/.test(answer) ? sessions[Number(answer) - 1] : undefined;
  if (!choice) {
    ctx.tell(answer === "" ? "Resume cancelled." : `Resume cancelled: "${sanitizeLine(answer)}" is not a number from 1 to ${sessions.length}.`);
    return null;
  }
  return choice.id;
}

export const resumeCommand: SlashCommand = {
  name: "resume",
  aliases: [],
  description: "Resume a saved session (id or unique prefix; without one, pick from a list)",
  usage: "/resume [ID]",
  completes: "session-id",
  async run(ctx, args) {
    let id = args[0] ?? null;
    if (id === null) {
      const store = await ctx.existingStore();
      const sessions = store ? await store.listSessions({ limit: ctx.prompts.interactive ? 50 : LISTED }) : [];
      if (sessions.length === 0) {
        ctx.print(NO_SESSIONS);
        return;
      }
      id = ctx.prompts.interactive ? await ctx.prompts.pickSession(sessions) : await chooseFromList(ctx, sessions);
      if (id === null) {
        if (ctx.prompts.interactive) ctx.tell("Resume cancelled.");
        return;
      }
    }
    await resumeAnotherSession(ctx, id);
  },
};

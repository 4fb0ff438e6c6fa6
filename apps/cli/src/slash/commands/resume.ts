import { formatTimestamp, truncate } from "../../ui/format.js";
import { NO_SESSIONS } from "../../ui/session-views.js";
import { resumeSession } from "../resume-session.js";
import type { SlashCommand } from "../types.js";

export const resumeCommand: SlashCommand = {
  name: "resume",
  aliases: [],
  description: "Resume a saved session (id or unique prefix; without one, pick from a list)",
  usage: "/resume [ID]",
  async run(ctx, args) {
    if (args[0] !== undefined) {
      await resumeSession(ctx, args[0]);
      return;
    }
    const store = await ctx.existingStore();
    const sessions = store ? await store.listSessions({ limit: 10 }) : [];
    if (sessions.length === 0) {
      ctx.print(NO_SESSIONS);
      return;
    }
    sessions.forEach((s, i) =>
      ctx.print(`${String(i + 1).padStart(2)}. ${s.id}  ${truncate(s.title, 50)}  ${ctx.c.dim(`${s.provider}:${s.model} · ${s.messageCount} messages · ${formatTimestamp(s.updatedAt)}`)}`),
    );
    const answer = (await ctx.readLine(`Session number to resume (1-${sessions.length}, empty cancels): `))?.trim() ?? "";
    const choice = /^\d+$/.test(answer) ? sessions[Number(answer) - 1] : undefined;
    if (!choice) {
      ctx.print(answer === "" ? "Resume cancelled." : `Resume cancelled: "${answer}" is not a number from 1 to ${sessions.length}.`);
      return;
    }
    await resumeSession(ctx, choice.id);
  },
};

import { renderPanel } from "@victor/terminal";
import type { SlashCommand } from "../types.js";

export const statusCommand: SlashCommand = {
  name: "status",
  aliases: [],
  description: "Show provider, model, active session, message count and unsaved changes",
  usage: "/status",
  async run(ctx) {
    const { state } = ctx;
    const active = state.activeSessionId ?? (state.pendingImport ? `${state.pendingImport.sessionId} (legacy file, not yet saved)` : "none");
    const lines: [string, string][] = [
      ["Provider", state.provider],
      ["Model", state.model],
    ];
    if (state.baseUrl && state.provider === "openai-compatible") lines.push(["Server", state.baseUrl]);
    lines.push(
      ["Profile", state.profile],
      ["Session", active],
      ["Messages", String(state.messages.length)],
      ["Unsaved", state.hasUnsavedMessages ? "yes (/save to keep them)" : "no"],
      ["Database", ctx.dbPath],
    );
    ctx.print(renderPanel(ctx.c, "Status", lines, { width: ctx.width() }));
  },
};

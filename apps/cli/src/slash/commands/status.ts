import { renderPanel } from "../../ui/panel.js";
import type { SlashCommand } from "../types.js";

export const statusCommand: SlashCommand = {
  name: "status",
  aliases: [],
  description: "Show provider, model, active session, message count and unsaved changes",
  usage: "/status",
  async run(ctx) {
    const { state } = ctx;
    const active = state.activeSessionId ?? (state.pendingImport ? `${state.pendingImport.sessionId} (legacy file, not yet saved)` : "none");
    ctx.print(
      renderPanel(ctx.c, "Status", [
        ["Provider", state.provider],
        ["Model", state.model],
        ["Profile", state.profile],
        ["Session", active],
        ["Messages", String(state.messages.length)],
        ["Unsaved", state.hasUnsavedMessages ? "yes (/save to keep them)" : "no"],
        ["Database", ctx.dbPath],
      ]),
    );
  },
};

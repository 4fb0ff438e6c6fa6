import { plural } from "../ui/format.js";
import { saveConversation } from "./save-conversation.js";
import type { SlashContext } from "./types.js";

/**
 * Before something replaces or ends the conversation (`/exit`, Ctrl-D, `/resume`, `/load`, `/clear`):
 * with unsaved messages, a terminal asks save / discard / cancel; piped input keeps going (a script
 * cannot answer) and `pipedNote` says what was dropped. Returns false when the user cancels.
 */
export async function settleUnsaved(ctx: SlashContext, action: string, pipedNote: string | null): Promise<boolean> {
  const { state } = ctx;
  if (!state.hasUnsavedMessages) return true;
  if (!ctx.prompts.interactive) {
    if (pipedNote) ctx.warn(pipedNote);
    return true;
  }
  const where = state.activeSessionId ? `session ${state.activeSessionId}` : "a new session";
  const answer = await ctx.prompts.choose(`${plural(state.turnCount, "message")} in this conversation ${state.turnCount === 1 ? "is" : "are"} not saved. Before ${action}:`, [
    { key: "s", label: `save to ${where}`, value: "save" },
    { key: "d", label: "discard them", value: "discard" },
    { key: "c", label: "cancel", value: "cancel" },
  ]);
  if (answer === "discard") return true;
  if (answer !== "save") {
    ctx.tell("Cancelled.");
    return false;
  }
  const outcome = await saveConversation(ctx, {});
  if ("refused" in outcome) {
    ctx.warn(`Not saved: ${outcome.refused}`);
    return false;
  }
  if ("notYet" in outcome) {
    ctx.warn(`Not saved yet: ${outcome.notYet}`);
    return false;
  }
  if ("saved" in outcome) ctx.tell(`Saved as ${outcome.saved.sessionId} (${plural(outcome.saved.messageCount, "message")}).`);
  return true;
}

export const DISCARDED_NOTE = "Note: the previous conversation had unsaved messages; they were discarded.";

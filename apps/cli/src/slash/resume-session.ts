import { SessionNotFoundError, type SessionStore } from "@victor/core";
import { formatTimestamp } from "../ui/format.js";
import { renderPanel } from "../ui/panel.js";
import type { SlashContext } from "./types.js";

/** The store, or a "not found" error when no database exists yet (so nothing can be resumed). */
async function storeWithSessions(ctx: SlashContext, id: string): Promise<SessionStore> {
  const store = await ctx.existingStore();
  if (!store) throw new SessionNotFoundError(id);
  return store;
}

/**
 * Loads a saved session (id or unique prefix; null = the most recent) into the chat: messages, model,
 * provider, conversation state; it becomes the active session. Throws on failure, changing nothing.
 */
export interface ModelOverride {
  provider?: string;
  model?: string;
}

/**
 * `override`: what the user named explicitly on the command line (`victor chat --resume ID --provider P
 * --model M`) wins over what the session was saved with.
 */
export async function resumeSession(ctx: SlashContext, idOrPrefix: string | null, override: ModelOverride = {}): Promise<void> {
  let id = idOrPrefix;
  if (id === null) {
    const store = await ctx.existingStore();
    const [latest] = store ? await store.listSessions({ limit: 1 }) : [];
    if (!latest) throw new SessionNotFoundError("(no saved sessions yet — /save one first)");
    id = latest.id;
  }
  const session = await (await storeWithSessions(ctx, id)).getSession(id);
  const { state } = ctx;
  const discarded = state.hasUnsavedMessages;
  const { metadata } = session;
  state.restore(session.conversation, true);
  const saved = `${metadata.provider || state.provider}:${metadata.model || state.model}`;
  state.provider = override.provider ?? (metadata.provider || state.provider);
  state.model = override.model ?? (metadata.model || state.model);
  const overridden = `${state.provider}:${state.model}` !== saved;
  state.profile = metadata.profile || state.profile;
  state.conversationState = session.conversation_state ?? null;
  state.toolSelectionStats = session.tool_selection_stats ?? null;
  state.markSaved(metadata.session_id, metadata.revision);
  if (discarded) ctx.warn("Note: the previous conversation had unsaved messages; they were discarded.");
  ctx.print(
    renderPanel(
      ctx.c,
      "Session Resumed",
      [
        ["ID", metadata.session_id],
        ["Title", metadata.title],
        ["Model", overridden ? `${state.provider}:${state.model} (saved with ${saved})` : `${state.provider}:${state.model}`],
        ["Messages", String(session.conversation.messages.length)],
        ["Updated", formatTimestamp(metadata.updated_at)],
      ],
      "Continue chatting; /save updates this session.",
    ),
  );
}

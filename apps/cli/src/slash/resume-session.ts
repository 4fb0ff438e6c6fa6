import { SessionNotFoundError } from "@victor/core";
import { renderPanel } from "@victor/terminal";
import { CliError } from "../errors.js";
import type { ModelTarget } from "../providers/config.js";
import { findLegacyFile } from "../repl/legacy-file.js";
import { formatTimestamp } from "../ui/format.js";
import type { SlashContext } from "./types.js";
import { DISCARDED_NOTE, settleUnsaved } from "./unsaved.js";

/** The most recent session's id; a "not found" error when there is none (nothing to resume). */
export async function mostRecentSessionId(ctx: SlashContext): Promise<string> {
  const store = await ctx.existingStore();
  const [latest] = store ? await store.listSessions({ limit: 1 }) : [];
  if (!latest) throw new SessionNotFoundError("(no saved sessions yet — /save one first)");
  return latest.id;
}

/**
 * An id not in the database that names a legacy JSON session: the error says how to open it, since
 * the guide promises those files stay reachable (and /resume only reads the database).
 */
async function orLegacyHint<T>(ctx: SlashContext, idOrPrefix: string, find: () => Promise<T>): Promise<T> {
  try {
    return await find();
  } catch (error) {
    if (!(error instanceof SessionNotFoundError)) throw error;
    let legacy: { id: string; path: string } | null = null;
    try {
      legacy = findLegacyFile(idOrPrefix, ctx.cwd, ctx.env);
    } catch {
      // An ambiguous prefix or an unreadable folder: no hint, the not-found error stands.
    }
    if (!legacy) throw error;
    throw new CliError(
      `Session not found: ${idOrPrefix}. ${legacy.path} is a legacy JSON session, not in the database yet: ` +
        `/load ${legacy.id} opens it (then /save stores it); \`victor-migrate\` imports every legacy session.`,
    );
  }
}

/**
 * Loads a saved session (id or unique prefix) into the chat: messages, model, provider, conversation
 * state, the server of an openai-compatible session; it becomes the active session. Throws on
 * failure, changing nothing. `override`: what the user named on the command line (`victor chat
 * --resume ID --provider P --model M`) wins over what the session was saved with.
 */
export async function resumeSession(ctx: SlashContext, idOrPrefix: string, override: Partial<ModelTarget> = {}): Promise<void> {
  const session = await orLegacyHint(ctx, idOrPrefix, async () => {
    const store = await ctx.existingStore();
    if (!store) throw new SessionNotFoundError(idOrPrefix);
    return store.getSession(idOrPrefix);
  });
  const { state } = ctx;
  const { metadata } = session;
  const saved = `${metadata.provider || state.provider}:${metadata.model || state.model}`;
  state.restoreSession(session, override);
  const now = `${state.provider}:${state.model}`;
  ctx.print(
    renderPanel(
      ctx.c,
      "Session Resumed",
      [
        ["ID", metadata.session_id],
        ["Title", metadata.title],
        ["Model", now === saved ? now : `${now} (saved with ${saved})`],
        ["Messages", String(session.conversation.messages.length)],
        ["Updated", formatTimestamp(metadata.updated_at)],
      ],
      { footer: "Continue chatting; /save updates this session.", width: ctx.width() },
    ),
  );
}

/**
 * `/resume ID` and `/switch --resume ID`: the id is resolved first (a typo does not ask about unsaved
 * messages for nothing), then unsaved messages are settled, then that very session is resumed (a
 * save of the open conversation may have made the prefix ambiguous meanwhile). False when cancelled.
 */
export async function resumeAnotherSession(ctx: SlashContext, idOrPrefix: string): Promise<boolean> {
  const store = await ctx.existingStore();
  const id = store ? await orLegacyHint(ctx, idOrPrefix, () => store.resolveSessionId(idOrPrefix)) : idOrPrefix;
  if (!(await settleUnsaved(ctx, "resuming another session", DISCARDED_NOTE))) return false;
  await resumeSession(ctx, id);
  return true;
}

import { PythonVictorDatabaseError, SessionConflictError, SessionExistsError, type SaveSessionInput } from "@victor/core";
import { renderPanel } from "../../ui/panel.js";
import { parseFlags } from "../flags.js";
import type { SlashCommand } from "../types.js";

export const saveCommand: SlashCommand = {
  name: "save",
  aliases: [],
  description: "Save the conversation (first save creates a session, later saves update it)",
  usage: "/save [--new] [--force] [title…]",
  async run(ctx, args) {
    const { flags, rest } = parseFlags("save", args, { booleans: ["new", "force"] });
    const { state } = ctx;
    const title = rest.join(" ").trim() || undefined;
    if (!state.pendingImport && !state.activeSessionId && !state.messages.some((m) => m.role !== "system")) {
      ctx.warn("Nothing to save yet: send a message first (or /resume a saved session).");
      return;
    }
    let store;
    try {
      store = await ctx.store();
    } catch (error) {
      if (!(error instanceof PythonVictorDatabaseError)) throw error;
      // The chat goes on with everything typed; once victor-migrate has run (from any terminal) this works.
      ctx.warn(`Not saved yet: ${error.dbPath} is still the Python Victor's database. Run victor-migrate (e.g. in another terminal), then /save again; your conversation is kept until then.`);
      return;
    }
    const common: SaveSessionInput = {
      conversation: state.conversation,
      model: state.model,
      provider: state.provider,
      profile: state.profile,
      conversationState: state.conversationState,
      toolSelectionStats: state.toolSelectionStats,
      ...(title ? { title } : {}),
    };
    let input: SaveSessionInput;
    if (flags.new) input = { ...common, ...(state.activeSessionId ? { parentId: state.activeSessionId } : {}) };
    else if (state.pendingImport) {
      // A legacy session opened with /load: keep its id, timestamps, tags and unknown keys.
      const { conversation: _old, title: legacyTitle, ...legacy } = state.pendingImport;
      input = { ...legacy, ...common, title: title ?? legacyTitle, ...(flags.force ? { replace: true } : { createOnly: true }) };
    } else if (state.activeSessionId) {
      input = { ...common, sessionId: state.activeSessionId, ...(flags.force || state.revision === null ? {} : { expectedRevision: state.revision }) };
    } else input = common;

    let result;
    try {
      result = await store.saveSession(input);
    } catch (error) {
      if (error instanceof SessionConflictError) {
        // The error names both ways out: /save --new or /save --force.
        ctx.warn(`Not saved: ${error.message}`);
        return;
      }
      if (error instanceof SessionExistsError) {
        ctx.warn(`Not saved: a session ${error.sessionId} is already in the database. Choose: /save --new (save as a new session) or /save --force (overwrite it).`);
        return;
      }
      throw error;
    }
    state.markSaved(result.sessionId, result.revision);
    ctx.print(
      renderPanel(
        ctx.c,
        "Session Saved",
        [
          ["Action", result.created ? "created" : "updated"],
          ["ID", result.sessionId],
          ["Database", store.dbPath],
          ["Title", result.title],
          ["Messages", String(result.messageCount)],
        ],
        `Resume later with: /resume ${result.sessionId}`,
      ),
    );
  },
};

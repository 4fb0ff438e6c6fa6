import { legacySessionDirs } from "@victor/core";
import { loadLegacySessionFile } from "@victor/migrate";
import { CliError, UsageError } from "../../errors.js";
import { findLegacyFile } from "../../repl/legacy-file.js";
import { renderPanel } from "../../ui/panel.js";
import type { SlashCommand } from "../types.js";

export const loadCommand: SlashCommand = {
  name: "load",
  aliases: [],
  description: "Open a legacy JSON session (~/.victor/sessions, <project>/.victor/sessions) read-only; /save stores it",
  usage: "/load ID",
  async run(ctx, args) {
    const id = args[0];
    if (!id) throw new UsageError("Usage: /load ID  (the file name of a legacy session, without .json)");
    const path = findLegacyFile(id, ctx.cwd);
    if (!path) {
      const dirs = legacySessionDirs(ctx.cwd);
      throw new CliError(`Legacy session not found: ${id} (looked for ${id}.json in ${dirs.length ? dirs.join(", ") : "~/.victor/sessions and <project>/.victor/sessions — neither exists"}).`);
    }
    // The same reader and converter as victor-migrate: a /load + /save stores what a migration would.
    const legacy = await loadLegacySessionFile(path);
    if (!legacy.ok) throw new CliError(`Cannot load ${path}: ${legacy.reason}. The file was not changed.`);
    const { state } = ctx;
    if (state.hasUnsavedMessages) ctx.warn("Note: the previous conversation had unsaved messages; they were discarded.");
    const { input } = legacy;
    state.restore(input.conversation, false);
    if (input.provider) state.provider = input.provider;
    if (input.model) state.model = input.model;
    state.profile = input.profile ?? state.profile;
    state.conversationState = input.conversationState ?? null;
    state.toolSelectionStats = input.toolSelectionStats ?? null;
    state.activeSessionId = null;
    state.revision = null;
    state.pendingImport = input;
    ctx.print(
      renderPanel(
        ctx.c,
        "Legacy Session Loaded",
        [
          ["ID", id],
          ["File", path],
          ["Title", input.title ?? "(derived from the first message)"],
          ["Model", `${state.provider}:${state.model}`],
          ["Messages", String(input.conversation.messages.length)],
          ...legacy.notes.map((note): [string, string] => ["Note", note]),
        ],
        `The file is not modified. /save stores it in ${ctx.dbPath} as ${id}.`,
      ),
    );
  },
};

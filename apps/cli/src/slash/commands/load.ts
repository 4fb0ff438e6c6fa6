import { deriveTitle, legacySessionDirs } from "@victor/core";
import { loadLegacySessionFile } from "@victor/migrate";
import { renderPanel } from "@victor/terminal";
import { CliError, UsageError } from "../../errors.js";
import { findLegacyFile } from "../../repl/legacy-file.js";
import type { SlashCommand } from "../types.js";
import { DISCARDED_NOTE, settleUnsaved } from "../unsaved.js";

export const loadCommand: SlashCommand = {
  name: "load",
  aliases: [],
  description: "Open a legacy JSON session (~/.victor/sessions, <project>/.victor/sessions) read-only; /save stores it",
  usage: "/load ID",
  completes: "legacy-id",
  async run(ctx, args) {
    const typed = args[0];
    if (!typed) throw new UsageError("Usage: /load ID  (the file name of a legacy session, without .json; a unique prefix is enough)");
    const found = findLegacyFile(typed, ctx.cwd, ctx.env);
    if (!found) {
      const dirs = legacySessionDirs(ctx.cwd, ctx.env);
      throw new CliError(`Legacy session not found: ${typed} (looked for ${typed}*.json in ${dirs.length ? dirs.join(", ") : "~/.victor/sessions and <project>/.victor/sessions — neither exists"}).`);
    }
    const { id, path } = found;
    // The same reader and converter as victor-migrate: a /load + /save stores what a migration would.
    const legacy = await loadLegacySessionFile(path);
    if (!legacy.ok) throw new CliError(`Cannot load ${path}: ${legacy.reason}. The file was not changed.`);
    if (!(await settleUnsaved(ctx, "opening another session", DISCARDED_NOTE))) return;
    const { state } = ctx;
    const { input } = legacy;
    state.openLegacy(input);
    ctx.print(
      renderPanel(
        ctx.c,
        "Legacy Session Loaded",
        [
          ["ID", id],
          ["File", path],
          // A title the file derived from its first message is derived again on save: shown as such.
          ["Title", input.title ?? `${deriveTitle(input.conversation.messages)} (from the first message)`],
          ["Model", `${state.provider}:${state.model}`],
          ["Messages", String(input.conversation.messages.length)],
          ...legacy.notes.map((note): [string, string] => ["Note", note]),
        ],
        { footer: `The file is not modified. /save stores it in ${ctx.dbPath} as ${id}.`, width: ctx.width() },
      ),
    );
  },
};

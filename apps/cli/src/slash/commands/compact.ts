import { NothingToUndoError } from "@victor/core";
import { sanitizeLine } from "@victor/terminal";
import { CliError } from "../../errors.js";
import { compactSimple, compactSmart, planCompaction } from "../../repl/compact.js";
import { parseCount } from "../../parse-count.js";
import { formatTimestamp, plural } from "../../ui/format.js";
import { describeChange } from "../../ui/history-views.js";
import { parseFlags } from "../flags.js";
import type { SlashCommand, SlashContext } from "../types.js";

/**
 * `/compact --undo`: a compaction (or rewind) not saved yet is simply taken back; a saved one is
 * undone in the store — its context before the change comes back now, and the next /save records
 * the undo (nothing is ever deleted, see the store's epochs).
 */
async function undo(ctx: SlashContext): Promise<void> {
  const { state } = ctx;
  const unsaved = state.undoUnsavedChange();
  if (unsaved) {
    const what = unsaved.kind === "rewind" ? "the rewind" : "the compaction";
    ctx.tell(`Undid ${what}: back to ${plural(state.messages.length, "message")}. Nothing is written until /save.`);
    return;
  }
  const id = state.activeSessionId;
  if (!id) {
    ctx.tell("Nothing to undo: no compaction in this conversation.");
    return;
  }
  if (state.undoPending) throw new CliError("One undo at a time: /save this one first, then /compact --undo again.");
  const store = await ctx.existingStore();
  let preview;
  try {
    if (!store) throw new NothingToUndoError(id);
    preview = await store.previewUndo(id);
  } catch (error) {
    if (!(error instanceof NothingToUndoError)) throw error;
    ctx.tell(`Nothing to undo: session ${id} has no compaction or other change of its context.`);
    return;
  }
  state.undoStoredChange(preview.change.epoch, preview.messages);
  ctx.tell(
    `Undid ${describeChange(preview.change)} of ${formatTimestamp(preview.change.at)}: back to ${plural(state.messages.length, "message")}. ` +
      `Nothing is written until /save updates session ${id}.`,
  );
}

export const compactCommand: SlashCommand = {
  name: "compact",
  aliases: [],
  description: "Shrink the conversation: keep the system prompt and the last N messages (--smart summarises the rest, --undo takes the last compaction back)",
  usage: "/compact [--smart] [--keep N] [--undo]",
  flags: ["--smart", "--keep", "--undo"],
  async run(ctx, args) {
    const { flags, rest } = parseFlags("compact", args, { booleans: ["smart", "undo"], values: ["keep"] });
    if (rest.length > 0) ctx.warn(`/compact: ignoring extra words: ${rest.join(" ")}`);
    if (flags.undo) {
      if (flags.smart || flags.keep !== undefined) throw new CliError("/compact --undo takes no other option.");
      return undo(ctx);
    }
    const keep = typeof flags.keep === "string" ? parseCount(flags.keep, "/compact --keep") : 6;
    const { state } = ctx;
    const before = state.messages.length;
    const plan = planCompaction(state.messages, keep);
    if (plan.older.length === 0) {
      ctx.tell(`Nothing to compact: ${plural(before, "message")}, keeping the last ${keep}.`);
      return;
    }
    if (flags.smart) {
      ctx.tell(`Summarising ${plural(plan.older.length, "older message")} with ${sanitizeLine(`${state.provider}:${state.model}`)}…`);
      state.changeContext("compact-smart", await compactSmart(state.messages, keep, (older) => ctx.summarise(older)));
    } else {
      state.changeContext("compact", compactSimple(state.messages, keep));
    }
    const where = state.activeSessionId ? `/save updates session ${state.activeSessionId}` : "/save stores it";
    ctx.tell(
      `Compacted ${before} → ${plural(state.messages.length, "message")}${flags.smart ? " (older ones summarised)" : ""}. Nothing is written until ${where}; ` +
        "the older messages stay in its history (show --all), and /compact --undo takes this back.",
    );
  },
};

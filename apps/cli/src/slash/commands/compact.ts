import { sanitizeLine } from "@victor/terminal";
import { compactSimple, compactSmart, planCompaction } from "../../repl/compact.js";
import { parseCount } from "../../parse-count.js";
import { plural } from "../../ui/format.js";
import { parseFlags } from "../flags.js";
import type { SlashCommand } from "../types.js";

export const compactCommand: SlashCommand = {
  name: "compact",
  aliases: [],
  description: "Shrink the conversation: keep the system prompt and the last N messages (--smart summarises the rest)",
  usage: "/compact [--smart] [--keep N]",
  flags: ["--smart", "--keep"],
  async run(ctx, args) {
    const { flags, rest } = parseFlags("compact", args, { booleans: ["smart"], values: ["keep"] });
    if (rest.length > 0) ctx.warn(`/compact: ignoring extra words: ${rest.join(" ")}`);
    const keep = typeof flags.keep === "string" ? parseCount(flags.keep, "/compact --keep") : 6;
    const { state } = ctx;
    const before = state.messages.length;
    const plan = planCompaction(state.messages, keep);
    if (plan.older.length === 0) {
      ctx.print(`Nothing to compact: ${plural(before, "message")}, keeping the last ${keep}.`);
      return;
    }
    if (flags.smart) {
      ctx.print(`Summarising ${plural(plan.older.length, "older message")} with ${sanitizeLine(`${state.provider}:${state.model}`)}…`);
      state.replaceMessages(await compactSmart(state.messages, keep, (older) => ctx.summarise(older)));
    } else {
      state.replaceMessages(compactSimple(state.messages, keep));
    }
    const where = state.activeSessionId ? `/save updates session ${state.activeSessionId}` : "/save stores it";
    ctx.print(`Compacted ${before} → ${plural(state.messages.length, "message")}${flags.smart ? " (older ones summarised)" : ""}. Nothing is written until ${where}.`);
  },
};

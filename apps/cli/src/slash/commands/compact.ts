import { compactSimple, compactSmart, planCompaction } from "../../repl/compact.js";
import { parseCount, parseFlags } from "../flags.js";
import type { SlashCommand } from "../types.js";

export const compactCommand: SlashCommand = {
  name: "compact",
  aliases: [],
  description: "Shrink the conversation: keep the system prompt and the last N messages (--smart summarises the rest)",
  usage: "/compact [--smart] [--keep N]",
  async run(ctx, args) {
    const { flags, rest } = parseFlags("compact", args, { booleans: ["smart"], values: ["keep"] });
    if (rest.length > 0) ctx.warn(`/compact: ignoring extra words: ${rest.join(" ")}`);
    const keep = typeof flags.keep === "string" ? parseCount("compact", flags.keep, "--keep") : 6;
    const { state } = ctx;
    const before = state.messages.length;
    const plan = planCompaction(state.messages, keep);
    if (plan.older.length === 0) {
      ctx.print(`Nothing to compact: ${before} messages, keeping the last ${keep}.`);
      return;
    }
    if (flags.smart) {
      ctx.print(`Summarising ${plan.older.length} older messages with ${state.provider}:${state.model}…`);
      state.messages = await compactSmart(state.messages, keep, (older) => ctx.summarise(older));
    } else {
      state.messages = compactSimple(state.messages, keep);
    }
    const where = state.activeSessionId ? `/save updates session ${state.activeSessionId}` : "/save stores it";
    ctx.print(`Compacted ${before} → ${state.messages.length} messages${flags.smart ? " (older ones summarised)" : ""}. Nothing is written until ${where}.`);
  },
};

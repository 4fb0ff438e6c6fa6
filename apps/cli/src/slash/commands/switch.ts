import { resumeSession } from "../resume-session.js";
import { parseSwitchArgs, providerForModel } from "../switch-args.js";
import type { SlashCommand } from "../types.js";

export const switchCommand: SlashCommand = {
  name: "switch",
  aliases: ["model"],
  description: "Show or change the provider/model; --resume loads a session first (default: the most recent)",
  usage: "/switch [[provider:]model] [--resume [ID]]",
  async run(ctx, args) {
    const request = parseSwitchArgs(args);
    const { state } = ctx;
    if (request.resume !== undefined) {
      // Resume first: if it fails the error propagates and the switch does not happen.
      await resumeSession(ctx, request.resume);
    }
    if (request.provider === undefined && request.model === undefined) {
      if (request.resume === undefined) ctx.print(`Current model: ${state.provider}:${state.model}`);
      return;
    }
    const before = `${state.provider}:${state.model}`;
    const provider = request.provider ?? (request.model ? providerForModel(request.model, state.provider) : state.provider);
    state.provider = provider;
    if (request.model) state.model = request.model;
    const inferred = request.provider === undefined && provider !== before.split(":")[0] ? " (provider chosen from the model name)" : "";
    ctx.print(`Switched ${before} → ${state.provider}:${state.model}${inferred}`);
  },
};

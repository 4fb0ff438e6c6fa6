import { sanitizeLine } from "@victor/terminal";
import { mostRecentSessionId, resumeAnotherSession, resumeSession } from "../resume-session.js";
import { parseSwitchArgs, providerForModel } from "../switch-args.js";
import type { SlashCommand } from "../types.js";

export const switchCommand: SlashCommand = {
  name: "switch",
  aliases: ["model"],
  description: "Show or change the provider/model; --resume continues this conversation (an empty chat: the most recent session)",
  usage: "/switch [[provider:]model] [--resume [ID]]",
  flags: ["--resume"],
  completes: "model",
  async run(ctx, args) {
    const request = parseSwitchArgs(args);
    const { state } = ctx;
    if (request.resume !== undefined) {
      // "Same conversation, another model": the open conversation is it. Only an empty chat has
      // nothing to continue and picks up the most recent session. Resume happens first: a failed
      // resume cancels the switch.
      if (request.resume !== null) {
        if (!(await resumeAnotherSession(ctx, request.resume))) return;
      } else if (state.isEmpty) await resumeSession(ctx, await mostRecentSessionId(ctx));
      else ctx.tell(`Continuing this conversation${state.activeSessionId ? ` (session ${state.activeSessionId})` : ""}.`);
    }
    if (request.provider === undefined && request.model === undefined) {
      if (request.resume === undefined) ctx.tell(`Current model: ${sanitizeLine(`${state.provider}:${state.model}`)}`);
      return;
    }
    const before = `${state.provider}:${state.model}`;
    const provider = request.provider ?? (request.model ? providerForModel(request.model, state.provider) : state.provider);
    state.setTarget({ provider, ...(request.model ? { model: request.model } : {}) });
    const inferred = request.provider === undefined && provider !== before.split(":")[0] ? " (provider chosen from the model name)" : "";
    ctx.tell(`Switched ${sanitizeLine(before)} → ${sanitizeLine(`${state.provider}:${state.model}`)}${inferred}`);
  },
};

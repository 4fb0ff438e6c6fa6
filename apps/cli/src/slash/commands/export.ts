import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { toMarkdown } from "../../repl/markdown.js";
import type { SlashCommand } from "../types.js";

export const exportCommand: SlashCommand = {
  name: "export",
  aliases: [],
  description: "Write the current conversation as a Markdown transcript",
  usage: "/export [FILE]",
  async run(ctx, args) {
    const { state } = ctx;
    const name = args[0] ?? `victor-${state.activeSessionId ?? state.pendingImport?.sessionId ?? "conversation"}.md`;
    const path = resolve(ctx.cwd, name);
    writeFileSync(path, toMarkdown(state.messages, { title: state.activeSessionId ? `Session ${state.activeSessionId}` : "Victor conversation", provider: state.provider, model: state.model }), { encoding: "utf8", mode: 0o600 });
    ctx.print(`Exported ${state.messages.length} messages to ${path}`);
  },
};

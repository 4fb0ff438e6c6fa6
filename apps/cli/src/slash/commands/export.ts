import { sanitizeLine } from "@victor/terminal";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { CliError } from "../../errors.js";
import { uniqueFileName, writeFileSafely } from "../../files/write-file.js";
import type { ChatState } from "../../repl/chat-state.js";
import { plural } from "../../ui/format.js";
import { renderMarkdown, type TranscriptSource } from "../../ui/markdown.js";
import { parseFlags } from "../flags.js";
import type { SlashCommand } from "../types.js";

/** The open conversation as a transcript: the same Markdown as `victor sessions export --format markdown`. */
export function chatTranscript(state: ChatState): TranscriptSource {
  const origin = state.sessionOrigin;
  return {
    title: origin?.title ?? state.pendingImport?.title ?? "Victor conversation",
    sessionId: state.activeSessionId ?? state.pendingImport?.sessionId ?? null,
    model: state.model,
    provider: state.provider,
    createdAt: origin?.createdAt,
    tags: origin?.tags,
    messages: state.messages,
  };
}

/** `victor-<session id>.md`, or `victor-conversation-<date-time>.md` for an unsaved one; `-2`, `-3` when taken. */
function defaultPath(state: ChatState, cwd: string, now = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  const id = state.activeSessionId ?? state.pendingImport?.sessionId;
  return uniqueFileName(cwd, id ? `victor-${id}` : `victor-conversation-${stamp}`, ".md");
}

export const exportCommand: SlashCommand = {
  name: "export",
  aliases: [],
  description: "Write the conversation as a Markdown transcript (never replaces a file unless asked)",
  usage: "/export [FILE] [--force]",
  flags: ["--force"],
  async run(ctx, args) {
    const { flags, rest } = parseFlags("export", args, { booleans: ["force"] });
    const { state } = ctx;
    let path: string;
    let replace = false;
    if (rest[0] === undefined) path = defaultPath(state, ctx.cwd);
    else {
      path = resolve(ctx.cwd, rest[0]);
      if (existsSync(path)) {
        if (flags.force) replace = true;
        else if (!ctx.prompts.interactive) throw new CliError(`${path} already exists: /export ${rest[0]} --force replaces it.`);
        else {
          const answer = await ctx.prompts.choose(`${path} already exists. Replace it?`, [
            { key: "y", label: "yes, replace it", value: "yes" },
            { key: "n", label: "no", value: "no" },
          ]);
          if (answer !== "yes") {
            ctx.tell("Not exported: the file was kept.");
            return;
          }
          replace = true;
        }
      }
    }
    const written = await writeFileSafely(path, renderMarkdown(chatTranscript(state)), { replace });
    ctx.tell(`Exported ${plural(state.messages.length, "message")} to ${sanitizeLine(written)}`);
  },
};

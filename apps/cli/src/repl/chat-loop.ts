import { OutputClosedError, OutputFailedError, sanitizeLine, sanitizeText } from "@victor/terminal";
import { isExpectedError } from "../errors.js";
import type { Terminal } from "../io.js";
import { runSlashLine } from "../slash/registry.js";
import type { SlashContext } from "../slash/types.js";
import { settleUnsaved } from "../slash/unsaved.js";
import { plural } from "../ui/format.js";
import type { ChatInput } from "./input/chat-input.js";
import type { Interrupts } from "./interrupts.js";
import type { ReplyControl } from "./reply.js";
import { sendTurn } from "./turn.js";

export interface LoopDeps {
  ctx: SlashContext;
  terminal: Terminal;
  input: ChatInput;
  replies: ReplyControl;
  interrupts: Interrupts;
  firstMessage?: string;
  debug: boolean;
}

/** Today's warning when a piped chat (or a signal) ends with unsaved messages. */
function warnUnsaved(ctx: SlashContext): void {
  if (!ctx.state.hasUnsavedMessages) return;
  const { state } = ctx;
  ctx.warn(
    `Warning: leaving with unsaved messages (${plural(state.turnCount, "message")} in this conversation) — they were not saved. ` +
      `Next time, type ${state.activeSessionId ? "/save" : '/save "Title"'} before /exit (or start with --autosave).`,
  );
}

/** Whether to leave: a terminal asks about unsaved messages (save / discard / cancel); a pipe warns. */
async function mayLeave(ctx: SlashContext): Promise<boolean> {
  if (ctx.prompts.interactive) return settleUnsaved(ctx, "leaving", null);
  warnUnsaved(ctx);
  return true;
}

/**
 * Reads and handles input until the chat ends. Returns how many inputs failed (a reply that did
 * not complete, a command that failed), for the exit status of a piped chat.
 */
export async function runLoop(deps: LoopDeps): Promise<number> {
  const { ctx, terminal, input, interrupts } = deps;
  let failures = 0;

  const handle = async (raw: string): Promise<"exit" | undefined> => {
    const line = raw.trim();
    if (!line) return undefined;
    if (!input.interactive) terminal.say(terminal.c.dim(`› ${sanitizeLine(line)}`));
    try {
      let text = line;
      if (line.startsWith("/")) {
        const outcome = await runSlashLine(ctx, line);
        if (outcome?.type === "exit") return "exit";
        if (outcome?.type !== "retry") return undefined;
        text = outcome.text;
      }
      if (!(await sendTurn(deps, text))) failures++;
    } catch (caught) {
      // Our own output is gone (closed pipe, closed terminal): nothing more can be shown.
      if (caught instanceof OutputClosedError || caught instanceof OutputFailedError) throw caught;
      failures++;
      terminal.error(caught instanceof Error ? caught.message : String(caught));
      if (deps.debug && caught instanceof Error && !isExpectedError(caught) && caught.stack) terminal.writeErr(`${sanitizeText(caught.stack)}\n`);
    }
    return undefined;
  };

  if (deps.firstMessage && (await handle(deps.firstMessage)) === "exit" && (await mayLeave(ctx))) return failures;
  for (;;) {
    const line = await input.next(`${terminal.c.cyan("victor")}> `);
    interrupts.disarm();
    if (interrupts.signal) {
      warnUnsaved(ctx);
      break;
    }
    if (line === null) {
      if (await mayLeave(ctx)) break;
      continue;
    }
    if ((await handle(line)) === "exit" && (await mayLeave(ctx))) break;
  }
  return failures;
}

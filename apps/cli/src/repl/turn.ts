import type { Terminal } from "../io.js";
import type { UnsentImages } from "../providers/convert.js";
import { saveConversation } from "../slash/save-conversation.js";
import type { SlashContext } from "../slash/types.js";
import { plural } from "../ui/format.js";
import type { ChatInput } from "./input/chat-input.js";
import { plainMessage, ReplyControl, ReplyWriter } from "./reply.js";

export interface TurnDeps {
  ctx: SlashContext;
  terminal: Terminal;
  input: ChatInput;
  replies: ReplyControl;
}

/**
 * Sends one message and streams the reply. Only a complete exchange joins the conversation: when the
 * reply fails or is stopped, the message is taken back and kept for /retry (the partial reply stays
 * on screen only), so the conversation never holds a question without its answer. Returns whether
 * the reply completed.
 */
export async function sendTurn(deps: TurnDeps, text: string): Promise<boolean> {
  const { ctx, terminal, input, replies } = deps;
  const { state } = ctx;
  const message = plainMessage("user", text);
  state.append(message);
  state.noteUnanswered(null);
  const { streamReply } = await import("../providers/stream.js");
  const writer = new ReplyWriter(terminal.out);
  const outcome = await input.busy(() =>
    replies.run((signal) =>
      streamReply({
        target: state.target,
        conversation: state.conversation,
        signal,
        env: ctx.env,
        onText: (delta) => writer.write(delta),
        onUnsentImages: (unsent) => {
          const note = unsentImagesNote(unsent);
          if (state.isNewImageNote(note)) terminal.warn(note);
        },
      }),
    ),
  );
  writer.end();
  if (outcome.status === "complete") {
    state.append(plainMessage("assistant", outcome.text));
    if (state.autosave) await autosave(ctx);
    return true;
  }
  state.withdraw(message);
  state.noteUnanswered(text);
  const kept = outcome.text ? "The partial reply was not kept. " : "";
  if (outcome.status === "aborted") terminal.warn(`Reply stopped. ${kept}Your message was set aside: /retry sends it again.`);
  else terminal.error(`${outcome.error.replace(/\.$/, "")}. ${kept}Your message was set aside: /retry sends it again.`);
  return false;
}

/** One line on the images the model does not get (they stay in the session). */
export function unsentImagesNote(unsent: UnsentImages): string {
  const total = unsent.localFiles + unsent.links + unsent.unusable;
  const why = [
    ...(unsent.localFiles > 0 ? [`${plural(unsent.localFiles, "local file path")}`] : []),
    ...(unsent.links > 0 ? [`${plural(unsent.links, "web link")}`] : []),
    ...(unsent.unusable > 0 ? [`${unsent.unusable} in a form models do not take`] : []),
  ].join(", ");
  return `${plural(total, "image")} of this conversation not sent to the model (${why}); ${total === 1 ? "it stays" : "they stay"} saved with the session.`;
}

/**
 * Saves after a reply (autosave); a refused save turns autosave off and says why, once. A Python
 * Victor database keeps autosave on: the first reply after victor-migrate has run is saved.
 */
async function autosave(ctx: SlashContext): Promise<void> {
  const outcome = await saveConversation(ctx, {});
  if ("saved" in outcome) ctx.note(`(autosaved ${outcome.saved.sessionId})`);
  else if ("notYet" in outcome) ctx.warn(`Not autosaved yet: ${outcome.notYet}`);
  else if ("refused" in outcome) {
    ctx.state.setAutosave(false);
    ctx.warn(`Autosave is off: ${outcome.refused}`);
  }
}

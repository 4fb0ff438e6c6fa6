import type { Message } from "@victor/core";
import { CliError } from "../errors.js";

export const SUMMARY_PREFIX = "[Previous conversation summary]";

export interface CompactPlan {
  /** Leading system messages (the system prompt), always kept. */
  head: Message[];
  /** Older messages that are dropped (simple) or summarised (smart). */
  older: Message[];
  /** The last messages kept verbatim. */
  tail: Message[];
}

/**
 * Where to cut: keep the leading system prompt and the last `keep` messages, moving the cut earlier so a
 * tool result is never separated from the assistant message that called it.
 */
export function planCompaction(messages: readonly Message[], keep: number): CompactPlan {
  let headEnd = 0;
  while (headEnd < messages.length && messages[headEnd]!.role === "system" && !isSummary(messages[headEnd]!)) headEnd++;
  let cut = Math.max(headEnd, messages.length - keep);
  while (cut > headEnd && messages[cut]!.role === "tool") cut--;
  return { head: messages.slice(0, headEnd), older: messages.slice(headEnd, cut), tail: messages.slice(cut) };
}

function isSummary(message: Message): boolean {
  return typeof message.content === "string" && message.content.startsWith(SUMMARY_PREFIX);
}

/** Simple compaction: the system prompt + the last `keep` messages. */
export function compactSimple(messages: readonly Message[], keep: number): Message[] {
  const plan = planCompaction(messages, keep);
  return [...plan.head, ...plan.tail];
}

/**
 * Smart compaction: the older messages become one `[Previous conversation summary]` system message.
 * A summary must be a summary: a failed request, a reply cut off at the model's output limit or an
 * empty one is refused (CliError), and nothing changes.
 */
export async function compactSmart(
  messages: readonly Message[],
  keep: number,
  summarise: (older: readonly Message[]) => Promise<string>,
): Promise<Message[]> {
  const plan = planCompaction(messages, keep);
  if (plan.older.length === 0) return messages.slice();
  let summary: string;
  try {
    summary = (await summarise(plan.older)).trim();
  } catch (error) {
    throw new CliError(`Not compacted: the summary failed (${(error as Error).message.replace(/\.$/, "")}). Nothing changed.`, { cause: error });
  }
  if (summary === "") throw new CliError("Not compacted: the model's summary came back empty. Nothing changed; try again, or /compact without --smart.");
  const summaryMessage: Message = { role: "system", content: `${SUMMARY_PREFIX}\n${summary}`, name: null, tool_calls: null, tool_call_id: null };
  return [...plan.head, summaryMessage, ...plan.tail];
}

/** The prompt that asks a model for the summary of `older`. */
export const SUMMARY_INSTRUCTION =
  "Summarise the conversation above for your own future reference: the goal, decisions made, code and files " +
  "discussed, open questions and next steps. Be concise and factual; write only the summary.";

import type { Message } from "./types.js";

export const UNTITLED = "Untitled Session";
const MAX_TITLE = 50;
const CUT_TITLE = 47;

/**
 * The automatic title: the first user message with whitespace collapsed, cut to 47 characters + "..."
 * when longer than 50. Cuts count code points, so an emoji or CJK text is never split in half.
 */
export function deriveTitle(messages: readonly Message[]): string {
  const firstUser = messages.find((m) => m.role === "user" && typeof m.content === "string");
  const text = typeof firstUser?.content === "string" ? firstUser.content.replace(/\s+/g, " ").trim() : "";
  if (text === "") return UNTITLED;
  const chars = Array.from(text);
  return chars.length > MAX_TITLE ? `${chars.slice(0, CUT_TITLE).join("")}...` : text;
}

import type { SessionStore, SessionSummary } from "@victor/core";
import { sanitizeLine, truncateToWidth, type WritableTerminal } from "@victor/terminal";
import { formatTimestamp, plural } from "../ui/format.js";
import { contentText } from "../ui/transcript.js";

const PREVIEW_MESSAGES = 3;

/** One line of the picker: id, title, model and age, cut to the terminal. */
function choiceName(s: SessionSummary, width: number): string {
  return truncateToWidth(sanitizeLine(`${s.id}  ${s.title}  · ${s.provider}:${s.model} · ${plural(s.messageCount, "message")} · ${formatTimestamp(s.updatedAt)}`), width);
}

/** The last messages of a session, one line each, for the preview under the list. */
async function preview(store: SessionStore, id: string, width: number): Promise<string> {
  const session = await store.loadSession(id);
  if (!session) return "";
  const last = session.conversation.messages.filter((m) => m.role === "user" || m.role === "assistant").slice(-PREVIEW_MESSAGES);
  if (last.length === 0) return "(no messages)";
  return last.map((m) => truncateToWidth(sanitizeLine(`${m.role}: ${contentText(m.content)}`), width)).join("\n");
}

/**
 * The `/resume` picker on a terminal: the recent sessions, filtered as you type (id, title, model;
 * and message text through the search index), with the last messages of the highlighted one below.
 * Returns the chosen id, or null when cancelled (Ctrl-C, Esc).
 */
export async function pickSession(
  store: SessionStore,
  recent: readonly SessionSummary[],
  io: { input: NodeJS.ReadableStream; output: WritableTerminal; width: number },
): Promise<string | null> {
  const { default: search } = await import("@inquirer/search");
  const width = Math.max(20, io.width - 4);
  const previews = new Map<string, Promise<string>>();
  const describe = (id: string): Promise<string> => {
    let text = previews.get(id);
    if (!text) previews.set(id, (text = preview(store, id, width).catch(() => "")));
    return text;
  };
  const source = async (term: string | undefined): Promise<{ name: string; value: string; description: string }[]> => {
    const typed = (term ?? "").trim().toLowerCase();
    let matches: readonly SessionSummary[] = recent;
    if (typed !== "") {
      const local = recent.filter((s) => `${s.id} ${s.title} ${s.provider}:${s.model}`.toLowerCase().includes(typed));
      const found = await store.searchSessions(typed, { limit: 20 }).catch(() => []);
      const seen = new Set(local.map((s) => s.id));
      matches = [...local, ...found.filter((s) => !seen.has(s.id))];
    }
    return Promise.all(matches.map(async (s) => ({ name: choiceName(s, width), value: s.id, description: await describe(s.id) })));
  };
  const controller = new AbortController();
  const onKey = (chunk: Buffer | string): void => {
    // Esc alone (not the start of an arrow key's sequence) cancels, as in other pickers.
    if (String(chunk) === "\x1b") controller.abort();
  };
  io.input.on("data", onKey);
  try {
    return await search(
      { message: "Resume which session? Type to filter, ↑↓ to choose, Enter to resume, Esc to cancel", source, pageSize: 8 },
      { input: io.input, output: io.output, clearPromptOnDone: true, signal: controller.signal },
    );
  } catch (error) {
    const name = (error as Error).name;
    if (name === "ExitPromptError" || name === "AbortPromptError" || name === "CancelPromptError") return null;
    throw error;
  } finally {
    io.input.off("data", onKey);
  }
}

import type { Terminal } from "../io.js";
import { openStoreForRead } from "../store.js";

/** `victor sessions <these> ID`: the commands whose first argument is a session id. */
const TAKES_ID = new Set(["show", "delete", "rm", "export", "rename", "fork"]);

/**
 * Session ids for shell completion (`victor sessions show 2025<Tab>`), read from the project's
 * database without creating one; nothing for other words (yargs adds commands and flags itself).
 */
export async function completeWords(current: string, args: { _: (string | number)[]; db?: string }, terminal: Terminal): Promise<string[]> {
  const words = args._.map(String);
  // words: ["sessions", "show", <current>] while the id is typed.
  const sub = words[1];
  if (!(words[0] === "sessions" || words[0] === "session") || sub === undefined || !TAKES_ID.has(sub) || words.length !== 3) return [];
  const store = await openStoreForRead(args, terminal.io);
  if (!store) return [];
  try {
    if (current === "") return (await store.listSessions({ limit: 50 })).map((s) => s.id);
    return await store.findSessionIds(current, 50);
  } catch {
    return [];
  } finally {
    await store.close();
  }
}

import { SessionNotWritableError } from "./domain/errors.js";
import type { EngineTransaction, StoredHead } from "./engine/engine.js";

/**
 * The head of a session a write is about to change, read inside the write transaction; null when
 * no such session exists. A session this role can read but not lock for writing (a teammate's
 * shared session on a server: row-level security hides it from FOR UPDATE) is
 * SessionNotWritableError, never "not found" or "deleted meanwhile".
 */
export async function headToChange(tx: EngineTransaction, id: string): Promise<StoredHead | null> {
  const head = await tx.head(id);
  if (head === null && (await tx.idsWithPrefix(id, 1))[0] === id) throw new SessionNotWritableError(id);
  return head;
}

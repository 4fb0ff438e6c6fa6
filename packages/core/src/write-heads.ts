import { SessionNotWritableError } from "./domain/errors.js";
import type { EngineTransaction, SessionRow, StoredHead } from "./engine/engine.js";

/*
 * Reading a session inside a write transaction. The locking head (tx.head) does not return a
 * session this role may read but not change — on a server, a teammate's shared session: row-level
 * security hides it from SELECT … FOR UPDATE. These say which case it is.
 */

/**
 * The head of a session a write is about to change; null when no such session exists. One this
 * role may only read is SessionNotWritableError, never "not found" or "deleted meanwhile".
 */
export async function headToChange(tx: EngineTransaction, id: string): Promise<StoredHead | null> {
  const head = await tx.head(id);
  if (head === null && (await tx.sessionExists(id))) throw new SessionNotWritableError(id);
  return head;
}

/** The session stored under `id`, also one this role may only read (its id is taken all the same); for decisions, not for changes. */
export async function storedSession(tx: EngineTransaction, id: string): Promise<StoredHead | SessionRow | null> {
  return (await tx.head(id)) ?? (await tx.sessionRow(id));
}

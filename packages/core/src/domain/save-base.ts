import { SessionConflictError, SessionExistsError } from "./errors.js";
import type { SaveSessionInput } from "./types.js";

/** A stored state of a session: its revision and incarnation. */
export interface SessionBase {
  revision: number;
  incarnation: string;
}

/**
 * The stored state this store last loaded or saved, per session: what its next save of that
 * session is based on. Unbounded (two short strings and a number per session a process touched),
 * unlike the snapshot cache: forgetting a base would let a save overwrite a concurrent one.
 */
export class KnownBases {
  private readonly bases = new Map<string, SessionBase>();

  get(id: string): SessionBase | undefined {
    return this.bases.get(id);
  }

  set(id: string, base: SessionBase): void {
    this.bases.set(id, base);
  }

  /** Our own write moved a session from `from` to `to`: a base that was `from` follows it. */
  advance(id: string, from: SessionBase, to: SessionBase): void {
    const known = this.bases.get(id);
    if (known && known.revision === from.revision && known.incarnation === from.incarnation) this.bases.set(id, to);
  }

  forget(id: string): void {
    this.bases.delete(id);
  }

  forgetWhere(matches: (id: string) => boolean): void {
    for (const id of [...this.bases.keys()]) if (matches(id)) this.bases.delete(id);
  }
}

/**
 * Refuses a save whose base moved (safe by default): with `expectedRevision` the stored revision
 * must be that one; otherwise, when this store knows the session, the stored revision and
 * incarnation must be the ones it last loaded or saved (a session deleted meanwhile, or deleted
 * and created again, is a conflict too). `force` skips the check; a session this store never saw
 * is written as asked. `createOnly` refuses any existing session.
 */
export function checkSaveBase(input: SaveSessionInput, stored: SessionBase | null, known: SessionBase | undefined): void {
  const id = input.sessionId;
  if (id === undefined) return;
  if (stored && input.createOnly) throw new SessionExistsError(id);
  if (input.force) return;
  const expected = input.expectedRevision ?? known?.revision;
  if (expected === undefined) return;
  if (!stored) throw new SessionConflictError(id, expected, null);
  if (stored.revision !== expected) throw new SessionConflictError(id, expected, stored.revision);
  // The base this store knows is of another incarnation: the session was created again meanwhile.
  if (known && known.revision === expected && known.incarnation !== stored.incarnation) throw new SessionConflictError(id, expected, stored.revision, true);
}

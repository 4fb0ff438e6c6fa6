/**
 * What a push or pull did, per session and in total: the CLI prints it, tests read it.
 *
 * created — new on the receiving side under the same id; renamed — new there under another id
 * (the id was taken by another session); updated — the receiving side's copy brought up to date;
 * forked — kept beside the receiving side's session (`forkOf`), which changed too since the last
 * sync or is not the user's to change: nothing was overwritten; linked — both sides held the same
 * content already: recorded, nothing copied; unchanged — nothing changed since the last sync;
 * newer-there — changed only on the receiving side (the other direction brings it);
 * deleted-there — deleted on the receiving side since the last sync and unchanged here: not sent
 * again unless named; failed — could not be read or written (`reason`); the others went on.
 */
export type SyncStatus = "created" | "renamed" | "updated" | "forked" | "linked" | "unchanged" | "newer-there" | "deleted-there" | "failed";

export const SYNC_STATUSES: readonly SyncStatus[] = ["created", "renamed", "updated", "forked", "linked", "unchanged", "newer-there", "deleted-there", "failed"];

export interface SyncSessionResult {
  /** The session's id in the sending store. */
  id: string;
  /** Its id in the receiving store (null when nothing is there). */
  targetId: string | null;
  status: SyncStatus;
  /** Messages written on the receiving side (only new ones travel). */
  messagesSent: number;
  /** forked: the receiving side's session this copy sits beside (its parent_id). */
  forkOf?: string;
  /** forked: why; failed: what went wrong. */
  reason?: string;
  /** The receiving side's copy was shared (true) or made private (false) by this run. */
  shared?: boolean;
}

export type SyncDirection = "push" | "pull";

export interface SyncReport {
  direction: SyncDirection;
  /** The sending and the receiving store (file paths, or servers' URLs without passwords). */
  from: string;
  to: string;
  sessions: SyncSessionResult[];
  counts: Record<SyncStatus, number>;
  /** Sessions written on the receiving side, and their messages. */
  sessionsSent: number;
  messagesSent: number;
  durationMs: number;
}

export function emptyCounts(): Record<SyncStatus, number> {
  return Object.fromEntries(SYNC_STATUSES.map((status) => [status, 0])) as Record<SyncStatus, number>;
}

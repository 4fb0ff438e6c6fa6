import type { MessageRow } from "./message-codec.js";
import type { Message } from "./types.js";

/**
 * What this process last saved or loaded for a session: the revision and the message objects.
 * A re-save compares the new messages to these by identity, so appending one message to a
 * 10,000-message session writes one row without reading, serialising or hashing the others.
 * Messages are treated as values: a caller that changes an old message replaces the object.
 * The last known message is also compared by content, which catches a reply streamed into place.
 */
export interface Snapshot {
  revision: number;
  incarnation: string;
  /** The context: its messages and where each is stored (positions grow, with gaps where messages left it). */
  messages: readonly Message[];
  positions: ContextPositions;
  /** The last message as stored (null when there is none); kept as it was read or written, never re-encoded. */
  last: MessageRow | null;
}

/**
 * Where each context message is stored. "dense": message i is at position i — a session that never
 * lost a message from its context — kept without an array, so re-saving 10,000 messages copies none.
 */
export type ContextPositions = readonly number[] | "dense";

export const positionAt = (positions: ContextPositions, index: number): number => (positions === "dense" ? index : positions[index]!);

/** The first `count` positions, then `added`: "dense" while it stays so (no copy), else a new array. */
export function extendPositions(positions: ContextPositions, count: number, added: readonly number[]): ContextPositions {
  if (positions === "dense" && added.every((position, i) => position === count + i)) return "dense";
  const out = positions === "dense" ? Array.from({ length: count }, (_, i) => i) : positions.slice(0, count);
  for (const position of added) out.push(position);
  return out;
}

export class SnapshotCache {
  private readonly entries = new Map<string, Snapshot>();

  constructor(private readonly capacity = 16) {}

  get(id: string): Snapshot | undefined {
    return this.entries.get(id);
  }

  set(id: string, snapshot: Snapshot): void {
    this.entries.delete(id);
    this.entries.set(id, snapshot);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  clear(): void {
    this.entries.clear();
  }
}

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
  messages: readonly Message[];
  lastEncoded: string | null;
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

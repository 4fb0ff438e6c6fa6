import type { MessageGroup } from "./message-group.js";
import type { ReaderSink, SessionHeader } from "./types.js";

/**
 * Hands finished message groups to the sink, in order, and counts positions. Records seen before
 * the first group (a file's opening lines) are kept for it. While `skipping` (a linear reader that
 * has not reached the end of what the previous import read), groups are only counted.
 */
export class GroupEmitter {
  /** The position of the next message. */
  position: number;
  private skipping: boolean;
  private keep: number;
  private started = false;
  private readonly before: unknown[] = [];
  private beforeBytes = 0;
  private seenGroup = false;

  constructor(
    private readonly sink: ReaderSink,
    private readonly header: () => SessionHeader,
    start: { keep: number } | "until-crossing",
  ) {
    if (start === "until-crossing") {
      this.position = 0;
      this.keep = 0;
      this.skipping = true;
    } else {
      this.position = start.keep;
      this.keep = start.keep;
      this.skipping = false;
    }
  }

  /** The linear reader reached the end of the previous import: from here on, groups are sent. */
  cross(): void {
    this.keep = this.position;
    this.skipping = false;
  }

  get isSkipping(): boolean {
    return this.skipping;
  }

  /** A record that precedes every message: it goes with the first group. */
  addOpening(record: unknown, bytes: number): void {
    this.before.push(record);
    this.beforeBytes += bytes;
  }

  /** Whether a group has been started (records then attach to the open group instead). */
  get hasGroups(): boolean {
    return this.seenGroup;
  }

  /** Call when a new group is created, so the opening records go with it. */
  opened(group: MessageGroup): void {
    if (this.seenGroup) return;
    this.seenGroup = true;
    if (this.before.length > 0) group.prepend(this.before.splice(0), this.beforeBytes);
  }

  async emit(group: MessageGroup): Promise<void> {
    const bytes = group.bytes;
    const messages = group.finish();
    if (this.skipping) {
      this.position += messages.length;
      return;
    }
    await this.start(false);
    for (const [i, message] of messages.entries()) {
      await this.sink.message(message, i === 0 ? bytes : 0);
      this.position++;
    }
  }

  /** The end of the read: the sink hears of the session even when it sent nothing. */
  async finish(): Promise<void> {
    await this.start(this.position === 0);
  }

  private async start(empty: boolean): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.sink.start({ keep: this.keep, header: this.header(), empty });
  }
}

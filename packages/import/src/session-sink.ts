import { UNTITLED, type ImportItem, type ImportItemResult, type ImportSource, type Message } from "@victor/core";
import type { ReaderSink, SessionHeader, StartInfo } from "./types.js";
import type { WriteBatch } from "./write-batch.js";

/** A long session is written in parts of about this many source bytes (memory stays flat). */
const CHUNK_BYTES = 2 * 1024 * 1024;

/** The session this file's previous import wrote, when the reader may send only what follows it. */
export interface Continuation {
  sessionId: string;
  /** The revision that import wrote: the new part is written only while the session is still at it. */
  revision: number;
}

/** Called when a reader starts sending: throws to skip the file (e.g. a session of another folder). */
export type Admit = (info: StartInfo) => Promise<void>;

/**
 * The session moved on while this file was being written (saved in Victor, deleted, or written
 * by another run): nothing was written; read the file whole again and let the store decide on all of it.
 */
export class StaleSession extends Error {
  constructor() {
    super("the session changed while this file was being imported");
  }
}

/**
 * Receives one file's messages and writes them: part by part while they come (a 1 GB rollout
 * never sits in memory), the last part queued in the batch with the file's ledger row, so the row
 * is written in the same transaction as the session it describes. Where the parts go is decided by
 * the store, inside each write's transaction (see core's planImport); a part after the first only
 * continues the session the previous one wrote.
 */
export class SessionSink implements ReaderSink {
  private chunk: Message[] = [];
  private chunkBytes = 0;
  /** Position of the chunk's first message. */
  private chunkStart = 0;
  private header: SessionHeader | null = null;
  /** Where the next part goes and the revision it continues (null: the store decides). */
  private target: { sessionId: string; revision: number | null } | null = null;
  /** What the store did with this file's first part: how the whole file is reported. */
  first: ImportItemResult | null = null;
  sent = 0;

  constructor(
    private readonly batch: WriteBatch,
    private readonly admit: Admit,
    /** The file's path: its ledger key. */
    private readonly sourcePath: string,
    private readonly continuation: Continuation | null,
  ) {}

  async start(info: StartInfo): Promise<void> {
    await this.admit(info);
    this.header = info.header;
    this.chunkStart = info.keep;
    // Kept messages belong to the previous import's session; from scratch the file asks for its own id.
    this.target = info.keep > 0 && this.continuation ? this.continuation : { sessionId: info.header.id, revision: null };
  }

  async message(message: Message, bytes: number): Promise<void> {
    this.chunk.push(message);
    this.chunkBytes += bytes;
    this.sent++;
    if (this.chunkBytes >= CHUNK_BYTES) await this.writeChunk();
  }

  private item(header: SessionHeader, source: ImportSource): ImportItem {
    const target = this.target!;
    return {
      input: {
        sessionId: target.sessionId,
        conversation: { messages: this.chunk },
        model: header.model,
        provider: header.provider,
        title: header.title ?? UNTITLED,
        createdAt: header.createdAt ?? undefined,
        updatedAt: header.updatedAt ?? undefined,
        parentId: header.parentId,
        metadataExtra: header.metadataExtra,
        // Always given, even 0: a chunk is never cached as if it were the whole session.
        keepMessages: this.chunkStart,
      },
      // An id taken by a session this file did not write: the file's version comes in beside it.
      onConflict: "rename",
      source,
      continuesRevision: target.revision ?? undefined,
    };
  }

  private noteWritten(result: ImportItemResult): void {
    this.first ??= result;
    // Later parts continue the session and revision this one wrote.
    if (result.sessionId !== null && result.revision !== undefined) this.target = { sessionId: result.sessionId, revision: result.revision };
  }

  private async writeChunk(): Promise<void> {
    // Not the last part: the ledger row says so ("partial"), with the session and revision written,
    // so a run killed part way is redone by the next one into the same session (unless saved since).
    const partial: ImportSource = { key: this.sourcePath, size: 0, sha256: "", partial: true };
    const result = await this.batch.now(this.item(this.header!, partial));
    if (result instanceof Error) throw result;
    if (result.status === "stale") throw new StaleSession();
    this.noteWritten(result);
    this.chunkStart += this.chunk.length;
    this.chunk = [];
    this.chunkBytes = 0;
  }

  /**
   * Queues the last part with the final header and the file's ledger row; `done` gets what the
   * store did with the file (its first part's result, or this one's) and the last result.
   */
  async finish(header: SessionHeader, source: ImportSource, done: (result: { first: ImportItemResult; last: ImportItemResult } | Error) => void): Promise<void> {
    await this.batch.later(this.item(header, source), this.chunkBytes, (result) => {
      if (result instanceof Error) return done(result);
      if (result.status !== "stale") this.noteWritten(result);
      done({ first: this.first ?? result, last: result });
    });
  }
}

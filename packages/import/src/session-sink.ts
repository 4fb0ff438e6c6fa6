import { UNTITLED, type ImportItem, type ImportItemResult, type Message } from "@victor/core";
import type { ReaderSink, SessionHeader, StartInfo } from "./types.js";
import type { WriteBatch } from "./write-batch.js";

/** A long session is written in chunks of about this many source bytes (memory stays flat). */
export const CHUNK_BYTES = 2 * 1024 * 1024;

/** What the runner decides when a reader starts sending: where the messages go. */
export interface Target {
  sessionId: string;
  /** Import beside an existing session of that id (core picks `<id>_2`, …): a conflict. */
  beside: boolean;
  /** Instead of the header's parent (a copy beside a session names that session). */
  parentId?: string | null;
}

export type Decide = (info: StartInfo) => Promise<Target>;

/**
 * Receives one file's messages and writes them: chunk by chunk while they come (a 1 GB rollout
 * never sits in memory), the last chunk queued in the batch with the ledger entry, so the entry
 * is written in the same transaction as the session it describes.
 */
export class SessionSink implements ReaderSink {
  private target: Target | null = null;
  private chunk: Message[] = [];
  private chunkBytes = 0;
  /** Position of the chunk's first message. */
  private chunkStart = 0;
  private header: SessionHeader | null = null;
  /** Whether this run created the session (then the file counts as imported, not updated). */
  created = false;
  sent = 0;
  keep = 0;

  constructor(
    private readonly batch: WriteBatch,
    private readonly decide: Decide,
    /** The file's path, for the ledger row that marks a chunked import under way. */
    private readonly sourcePath: string,
  ) {}

  get sessionId(): string | null {
    return this.target?.sessionId ?? null;
  }

  get isBeside(): boolean {
    return this.target?.beside === true;
  }

  async start(info: StartInfo): Promise<void> {
    this.target = await this.decide(info);
    this.header = info.header;
    this.keep = info.keep;
    this.chunkStart = info.keep;
  }

  async message(message: Message, bytes: number): Promise<void> {
    this.chunk.push(message);
    this.chunkBytes += bytes;
    this.sent++;
    if (this.chunkBytes >= CHUNK_BYTES) await this.writeChunk();
  }

  private item(header: SessionHeader, ledger?: ImportItem["ledger"]): ImportItem {
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
        parentId: target.parentId === undefined ? header.parentId : target.parentId,
        metadataExtra: header.metadataExtra,
        keepMessages: this.chunkStart,
      },
      // The session's id is the source's own id: an existing one is this file's (see runner.ts),
      // unless it conflicts, and then the file's version goes beside it.
      onConflict: target.beside ? "rename" : "overwrite",
      ownsExisting: !target.beside,
      ledger,
    };
  }

  private noteWritten(result: ImportItemResult): void {
    if (result.status === "created" || result.status === "renamed") this.created = true;
    // Later chunks go to the id the first one got, which is now this file's session.
    if (result.sessionId) this.target = { ...this.target!, sessionId: result.sessionId, beside: false };
  }

  private async writeChunk(): Promise<void> {
    // Until the last chunk lands with the real ledger row, the file's row says the import did not
    // finish: a run killed part way is then read again in full into the same session, not taken
    // for a session changed in Victor (its message count would differ from the previous import's).
    const underway = { sourcePath: this.sourcePath, size: 0, sha256: "", reason: "an import of this file was interrupted; the next run reads it again", outcome: "failed" as const };
    const result = await this.batch.now(this.item(this.header!, underway));
    if (result instanceof Error) throw result;
    this.noteWritten(result);
    this.chunkStart += this.chunk.length;
    this.chunk = [];
    this.chunkBytes = 0;
  }

  /** Queues the last chunk with the final header and the ledger entry; `done` gets the outcome. */
  async finish(header: SessionHeader, ledger: NonNullable<ImportItem["ledger"]>, done: (result: ImportItemResult | Error, created: boolean) => void): Promise<void> {
    // A session an earlier chunk of this run created is, for the ledger too, imported.
    const item = this.item(header, this.created ? { ...ledger, outcome: "imported" } : ledger);
    await this.batch.later(item, this.chunkBytes, (result) => {
      if (!(result instanceof Error)) this.noteWritten(result);
      done(result, this.created);
    });
  }
}

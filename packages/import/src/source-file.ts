import { createHash, type Hash } from "node:crypto";
import { readFile } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { promisify } from "node:util";

/** One complete line of a source file. */
export interface Line {
  /** 1-based. */
  number: number;
  /** Byte offset of its first byte. */
  start: number;
  /** Byte offset just past its newline: where the next line starts. */
  end: number;
  /** The text without the newline (and a trailing \r); null when the bytes are not valid UTF-8. */
  text: string | null;
}

/** What the previous import consumed of this file, to check that it is still the file's start. */
export interface PrefixCheck {
  size: number;
  sha256: string;
}

export type PrefixStatus = "unknown" | "intact" | "changed";

/** Files up to this size are read in one call and split in memory; larger ones are streamed. */
const WHOLE_FILE_LIMIT = 8 * 1024 * 1024;
const CHUNK = 1024 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

// The callback readFile: one trip to the thread pool, where open + stat + read + close take four
// (measured: 30% idle time importing a thousand small transcripts).
const readWhole = promisify(readFile);

function decode(bytes: Uint8Array, first: boolean): string | null {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return null;
  }
  if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.endsWith("\r") ? text.slice(0, -1) : text;
}

/** A final segment without a newline is a complete line only if it already parses (JSONL writers end every line with one). */
function isCompleteJson(text: string | null): boolean {
  if (text === null || text.trim() === "") return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * A source file opened read-only, at the size it had when opened (a tool may still be appending:
 * what comes later is for the next run). `lines()` streams it; `read()` re-reads a byte range.
 * Memory stays flat in the file's size: at most one chunk plus the longest line are held.
 */
export class SourceFile {
  /** Bytes up to the end of the last complete line (set once `lines()` has run to the end). */
  consumed = 0;
  /** true when the file ends in an incomplete line (the tool was still writing it). */
  torn = false;
  /** Whether the first `prefix.size` bytes are those the previous import consumed. */
  prefixStatus: PrefixStatus = "unknown";
  private hash: Hash | null = null;
  private window: { start: number; bytes: Buffer } | null = null;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle | null,
    readonly size: number,
    private readonly whole: Buffer | null,
  ) {}

  /** `expectedSize`: what a stat just said; small files are read in one go (or were: `bytes`). */
  static async open(path: string, expectedSize: number, bytes: Buffer | null = null): Promise<SourceFile> {
    if (bytes) return new SourceFile(path, null, bytes.length, bytes);
    if (expectedSize <= WHOLE_FILE_LIMIT) {
      const whole = await readWhole(path, { flag: "r" });
      if (whole.length <= WHOLE_FILE_LIMIT) return new SourceFile(path, null, whole.length, whole);
    }
    const handle = await open(path, "r");
    try {
      const { size } = await handle.stat();
      return new SourceFile(path, handle, size, null);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.handle?.close();
  }

  /** The bytes in [start, end); sequential reads are served from a 1 MiB window. */
  async read(start: number, end: number): Promise<Buffer> {
    if (this.whole) return this.whole.subarray(start, end);
    const w = this.window;
    if (w && start >= w.start && end <= w.start + w.bytes.length) return w.bytes.subarray(start - w.start, end - w.start);
    const length = Math.min(this.size, start + Math.max(CHUNK, end - start)) - start;
    const bytes = await readExactly(this.handle!, start, length);
    this.window = { start, bytes };
    return bytes.subarray(0, end - start);
  }

  /** The whole file's text (for one-document formats); null when not valid UTF-8. */
  async text(): Promise<string | null> {
    const bytes = this.whole ?? (await readExactly(this.handle!, 0, this.size));
    this.consumed = bytes.length;
    this.hashBytes(bytes);
    return decode(bytes, true);
  }

  /**
   * The sha256 of what was consumed, salted with `salt` (the reader's format version), so that
   * a newer reader sees every file as changed. Valid once `lines()` or `text()` has finished.
   */
  digest(): string {
    return this.hash!.digest("hex");
  }

  /** Starts hashing: call before `lines()`/`text()`. */
  beginHash(salt: string): void {
    this.hash = createHash("sha256").update(salt);
  }

  private hashBytes(bytes: Uint8Array): void {
    this.hash?.update(bytes);
  }

  /**
   * Every complete line, in order. With `prefix`, `prefixStatus` becomes "intact" once a line ends
   * exactly at `prefix.size` with the bytes so far hashing to `prefix.sha256`, else "changed".
   */
  lines(prefix: PrefixCheck | null = null): AsyncGenerator<Line> {
    return this.split(prefix, true);
  }

  /**
   * Every complete line, in order, leaving the file as it was (no hash, no `consumed`): for a
   * reader's look ahead before the pass that `lines()` makes.
   */
  scanLines(): AsyncGenerator<Line> {
    return this.split(null, false);
  }

  private async *split(prefix: PrefixCheck | null, observe: boolean): AsyncGenerator<Line> {
    let number = 0;
    const check = (line: Line, bytes: Uint8Array): void => {
      if (!observe) return;
      this.hashBytes(bytes);
      if (!prefix || this.prefixStatus !== "unknown") return;
      if (line.end === prefix.size) this.prefixStatus = this.hash!.copy().digest("hex") === prefix.sha256 ? "intact" : "changed";
      else if (line.end > prefix.size) this.prefixStatus = "changed";
    };
    const emit = (bytes: Uint8Array, start: number, end: number): Line => {
      number++;
      const newline = end > start && bytes[bytes.length - 1] === 10 ? 1 : 0;
      const line = { number, start, end, text: decode(bytes.subarray(0, bytes.length - newline), number === 1) };
      check(line, bytes);
      return line;
    };

    if (this.whole) {
      const buf = this.whole;
      let pos = 0;
      for (;;) {
        const nl = buf.indexOf(10, pos);
        if (nl === -1) break;
        yield emit(buf.subarray(pos, nl + 1), pos, nl + 1);
        pos = nl + 1;
      }
      yield* this.finish(buf.subarray(pos), pos, emit, observe);
    } else {
      let parts: Buffer[] = [];
      let partStart = 0;
      // One buffer for every read (a fresh one per chunk would leave megabytes for the GC to find).
      const buffer = Buffer.allocUnsafe(CHUNK);
      for (let offset = 0; offset < this.size; ) {
        const chunk = await readExactly(this.handle!, offset, Math.min(CHUNK, this.size - offset), buffer);
        let pos = 0;
        for (;;) {
          const nl = chunk.indexOf(10, pos);
          if (nl === -1) break;
          const piece = chunk.subarray(pos, nl + 1);
          const bytes = parts.length > 0 ? Buffer.concat([...parts, piece]) : piece;
          yield emit(bytes, partStart, offset + nl + 1);
          parts = [];
          pos = nl + 1;
          partStart = offset + pos;
        }
        // The buffer is read into again: an unfinished line's bytes are copied out.
        if (pos < chunk.length) parts.push(Buffer.from(chunk.subarray(pos)));
        offset += chunk.length;
      }
      yield* this.finish(Buffer.concat(parts), partStart, emit, observe);
    }
    if (prefix && this.prefixStatus === "unknown") this.prefixStatus = "changed";
  }

  private *finish(rest: Buffer, start: number, emit: (bytes: Uint8Array, start: number, end: number) => Line, observe: boolean): Generator<Line> {
    if (observe) this.consumed = start;
    if (rest.length === 0) return;
    const text = decode(rest, start === 0);
    if (isCompleteJson(text)) {
      if (observe) this.consumed = start + rest.length;
      yield emit(rest, start, start + rest.length);
    } else if (!observe) {
      return;
    } else if (rest.toString("latin1").trim() !== "") {
      this.torn = true;
    } else {
      // Trailing blank bytes (spaces, a lone \r): nothing to import, and nothing to wait for.
      this.consumed = start + rest.length;
      this.hashBytes(rest);
    }
  }
}

async function readExactly(handle: FileHandle, position: number, length: number, into?: Buffer): Promise<Buffer> {
  const bytes = into ? into.subarray(0, length) : Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(bytes, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === length ? bytes : bytes.subarray(0, filled);
}

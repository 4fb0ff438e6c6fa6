import { isUtf8 } from "node:buffer";

/**
 * Reads a JSON array from a byte stream one element at a time, so a file of any size is read in
 * constant memory (one element at a time must fit). The scanner only finds where each top-level
 * element begins and ends — strings, escapes and nesting — and JSON.parse (native, several hundred
 * MB/s) checks and builds each element. A JSON tokenizer written in JS (`@streamparser/json`,
 * `stream-json`) would build every value token by token, several times slower than that.
 *
 * A file holding one top-level object (what `show --json` prints) is one element.
 */

export interface JsonElement {
  /** 0-based position in the array. */
  index: number;
  /** Byte offset of the element's first byte in the file. */
  offset: number;
  /** Its size in bytes. */
  bytes: number;
  value: unknown;
  /** False for a file that holds one value instead of an array. */
  inArray: boolean;
}

/** The file is not the JSON it should be; `offset` is the byte where the problem is. */
export class JsonStreamError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = "JsonStreamError";
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const BYTE_ORDER_MARK = [0xef, 0xbb, 0xbf];

const notAnArray = (at: number): JsonStreamError => new JsonStreamError("the file is not a JSON array of sessions (it should start with [ or {)", at);

const isSpace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** Whether the bytes of `chunk` from `from` to just before `end` end with an odd number of backslashes (the last one escapes what follows). */
function endsWithOddBackslashes(chunk: Buffer, end: number, from: number): boolean {
  let k = end;
  while (k > from && chunk[k - 1] === BACKSLASH) k--;
  return (end - k) % 2 === 1;
}

/** Where the scanner is between elements. */
type Expect = "start" | "first" | "element" | "comma" | "end" | "single";

/**
 * The splitter: feed it the file's chunks in order (`push`), take the complete elements it returns,
 * call `end()` at the end of the file. It keeps only the bytes of the element being read.
 */
class JsonArraySplitter {
  private expect: Expect = "start";
  /** Offset of the next chunk's first byte in the file. */
  private base = 0;
  /** The element being read: where it began in the file (null between elements), its bytes from earlier chunks. */
  private elementStart: number | null = null;
  private pending: Buffer[] = [];
  /** Inside the current element: nesting depth, in a string, right after a backslash. */
  private depth = 0;
  private inString = false;
  private escaped = false;
  private count = 0;
  /** How many bytes of a byte order mark the file began with. */
  private bomBytes = 0;

  /** Whether the file holds an array (false for one top-level object). */
  get inArray(): boolean {
    return this.expect !== "single";
  }

  /** The complete elements of this chunk, as [offset in the file, bytes]. */
  push(chunk: Buffer): [number, Buffer][] {
    const out: [number, Buffer][] = [];
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.elementStart !== null) {
        const end = this.scanElement(chunk, i);
        if (end < 0) {
          this.pending.push(chunk.subarray(Math.max(0, this.elementStart - this.base)));
          break;
        }
        out.push(this.complete(chunk, end));
        i = end;
        continue;
      }
      const b = chunk[i]!;
      if (isSpace(b)) {
        i++;
        continue;
      }
      const at = this.base + i;
      switch (this.expect) {
        case "start":
          // A UTF-8 byte order mark can only come first (and may be cut by a chunk's end).
          if (at === this.bomBytes && b === BYTE_ORDER_MARK[at]) {
            this.bomBytes++;
            i++;
            continue;
          }
          if (this.bomBytes !== 0 && this.bomBytes !== BYTE_ORDER_MARK.length) throw notAnArray(0);
          if (b === OPEN_BRACE) {
            this.expect = "single";
            this.begin(at);
            continue;
          }
          if (b !== OPEN_BRACKET) throw notAnArray(at);
          this.expect = "first";
          i++;
          break;
        case "first":
          if (b === COMMA) throw new JsonStreamError(`a value is missing before ","`, at);
          if (b === CLOSE_BRACKET) {
            this.expect = "end";
            i++;
          } else this.begin(at);
          break;
        case "element":
          if (b === CLOSE_BRACKET || b === COMMA) throw new JsonStreamError(`a value is missing before "${String.fromCharCode(b)}"`, at);
          this.begin(at);
          break;
        case "comma":
          if (b === COMMA) this.expect = "element";
          else if (b === CLOSE_BRACKET) this.expect = "end";
          else throw new JsonStreamError(`expected "," or "]" after session ${this.count}`, at);
          i++;
          break;
        case "end":
        case "single":
          throw new JsonStreamError("unexpected text after the end of the JSON value", at);
      }
    }
    this.base += n;
    return out;
  }

  /** Checks that the file ended where the JSON ends. */
  end(): void {
    if (this.elementStart !== null) throw new JsonStreamError(`the file ends in the middle of session ${this.count + 1} (cut short?)`, this.base);
    if (this.expect === "start") throw new JsonStreamError("the file is empty", this.base);
    if (this.expect !== "end" && this.expect !== "single") throw new JsonStreamError("the file ends before the array is closed with ] (cut short?)", this.base);
  }

  private begin(at: number): void {
    this.elementStart = at;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
  }

  /**
   * Scans the current element from `i`: the index just after its last byte, or -1 when it goes on
   * in the next chunk.
   */
  private scanElement(chunk: Buffer, i: number): number {
    const n = chunk.length;
    while (i < n) {
      if (this.inString) {
        i = this.skipString(chunk, i);
        if (i < 0) return -1;
        continue;
      }
      const b = chunk[i]!;
      if (b === QUOTE) this.inString = true;
      else if (b === OPEN_BRACE || b === OPEN_BRACKET) this.depth++;
      else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        if (this.depth === 0) return i; // a bare value (5, true) ended by the array's ]
        if (--this.depth === 0) return i + 1;
      } else if (this.depth === 0 && (b === COMMA || isSpace(b))) return i;
      i++;
    }
    return -1;
  }

  /**
   * From inside a string: the index just after its closing quote, or -1 when it goes on in the next
   * chunk. Most of an export's bytes are in strings: they are skipped with indexOf (memchr), one call
   * per string; a quote is the end unless an odd run of backslashes escapes it.
   */
  private skipString(chunk: Buffer, i: number): number {
    if (this.escaped) {
      // The previous chunk ended with the backslash of an escape: this byte is its character.
      this.escaped = false;
      i++;
    }
    for (;;) {
      const quote = chunk.indexOf(QUOTE, i);
      if (quote < 0) {
        this.escaped = endsWithOddBackslashes(chunk, chunk.length, i);
        return -1;
      }
      if (!endsWithOddBackslashes(chunk, quote, i)) {
        this.inString = false;
        return quote + 1;
      }
      i = quote + 1;
    }
  }

  private complete(chunk: Buffer, end: number): [number, Buffer] {
    const start = this.elementStart!;
    const piece = chunk.subarray(Math.max(0, start - this.base), end);
    const bytes = this.pending.length === 0 ? piece : Buffer.concat([...this.pending, piece]);
    this.pending = [];
    this.elementStart = null;
    this.count++;
    if (this.expect !== "single") this.expect = "comma";
    return [start, bytes];
  }
}

/** Where the first byte that is not part of valid UTF-8 is (only called once `isUtf8` said there is one). */
function firstInvalidUtf8(bytes: Buffer): number {
  // The longest prefix that decodes, streaming (a character its end cuts short is not an error yet).
  const decodes = (length: number, stream: boolean): boolean => {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, length), { stream });
      return true;
    } catch {
      return false;
    }
  };
  let low = 0;
  let high = bytes.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (decodes(mid, true)) low = mid;
    else high = mid - 1;
  }
  if (decodes(low, false)) return low;
  // The prefix ends in the first bytes of a character that never completes: it starts at its lead byte.
  let lead = low - 1;
  while (lead > 0 && (bytes[lead]! & 0xc0) === 0x80) lead--;
  return lead;
}

/** JSON.parse's complaint, with its position turned into a file offset (the text itself is left out). */
function parseError(error: Error, offset: number, text: string): JsonStreamError {
  const match = / at position (\d+)/.exec(error.message);
  const at = match ? offset + Buffer.byteLength(text.slice(0, Number(match[1]))) : offset;
  const kind = /^Unexpected end of JSON input/.test(error.message) ? "the value ends too early" : "invalid JSON";
  return new JsonStreamError(kind, at);
}

/**
 * The elements of the JSON array in `chunks` (a file's read stream), parsed, in order. Throws a
 * JsonStreamError with the byte offset of the first problem.
 */
export async function* readJsonArray(chunks: AsyncIterable<Buffer>): AsyncGenerator<JsonElement> {
  const splitter = new JsonArraySplitter();
  let index = 0;
  for await (const chunk of chunks) {
    for (const [offset, bytes] of splitter.push(chunk)) {
      // toString would turn bad bytes into U+FFFD silently: the session would come in altered.
      if (!isUtf8(bytes)) throw new JsonStreamError("the text is not valid UTF-8", offset + firstInvalidUtf8(bytes));
      const text = bytes.toString("utf8");
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw parseError(error as Error, offset, text);
      }
      yield { index: index++, offset, bytes: bytes.length, value, inArray: splitter.inArray };
    }
  }
  splitter.end();
}

import { createReadStream } from "node:fs";

/** Characters (code points) in UTF-8 bytes: every byte that does not continue a character. */
function codePoints(bytes: Buffer, from: number): number {
  let n = 0;
  for (let i = from; i < bytes.length; i++) if ((bytes[i]! & 0xc0) !== 0x80) n++;
  return n;
}

/**
 * The 1-based line and column (in characters) of byte `offset` of a file, for an error message a
 * person can act on in an editor. Reads the file up to the offset; only called when reporting.
 */
export async function lineAndColumnAt(path: string, offset: number): Promise<{ line: number; column: number }> {
  let line = 1;
  let column = 1;
  if (offset <= 0) return { line, column };
  for await (const chunk of createReadStream(path, { end: offset - 1, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const last = chunk.lastIndexOf(0x0a);
    if (last !== -1) {
      for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) line++;
      column = 1;
    }
    column += codePoints(chunk, last + 1);
  }
  return { line, column };
}

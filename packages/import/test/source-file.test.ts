import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { SourceFile, type Line } from "../src/source-file.js";
import { cleanup, tempDir } from "./helpers.js";

afterEach(cleanup);

async function readAll(bytes: Buffer | string, prefix: { size: number; sha256: string } | null = null) {
  const path = tempDir().join("f.jsonl");
  writeFileSync(path, bytes);
  const file = await SourceFile.open(path, Buffer.byteLength(bytes));
  file.beginHash("salt\n");
  const lines: Line[] = [];
  for await (const line of file.lines(prefix)) lines.push(line);
  await file.close();
  return { file, lines, digest: file.digest() };
}

const sha = (text: string | Buffer) => createHash("sha256").update("salt\n").update(text).digest("hex");

// Files up to 8 MiB are read whole, larger ones streamed in 1 MiB chunks: both paths, same answers.
const PADDING = { small: 0, streamed: 9 * 1024 * 1024 };

describe.each(Object.entries(PADDING))("SourceFile.lines (%s file)", (_name, padding) => {
  const pad = padding > 0 ? `${JSON.stringify({ pad: "p".repeat(padding) })}\n` : "";

  it("yields every complete line with its number and byte range, across chunk boundaries", async () => {
    const long = JSON.stringify({ text: "é".repeat(1_500_000) }); // 3 MB of UTF-8 in one line
    const text = `${pad}{"a":1}\n${long}\r\n\n{"b":"ü"}\n`;
    const { lines, file } = await readAll(text);
    const expected = text.split("\n").slice(0, -1);
    expect(lines.map((l) => l.text)).toEqual(expected.map((l) => l.replace(/\r$/, "")));
    expect(lines.map((l) => l.number)).toEqual(expected.map((_, i) => i + 1));
    let offset = 0;
    for (const [i, l] of lines.entries()) {
      expect(l.start).toBe(offset);
      offset += Buffer.byteLength(expected[i]!) + 1;
      expect(l.end).toBe(offset);
    }
    expect(file.consumed).toBe(Buffer.byteLength(text));
    expect(file.torn).toBe(false);
  });

  it("scanLines looks ahead without hashing or moving the file's state; lines() then reads as if it had not", async () => {
    const text = `${pad}{"a":1}\n{"b":2}\n{"torn":`;
    const path = tempDir().join("f.jsonl");
    writeFileSync(path, text);
    const file = await SourceFile.open(path, Buffer.byteLength(text));
    file.beginHash("salt\n");
    const scanned: Line[] = [];
    for await (const line of file.scanLines()) scanned.push(line);
    expect({ consumed: file.consumed, torn: file.torn }).toEqual({ consumed: 0, torn: false });
    const read: Line[] = [];
    for await (const line of file.lines()) read.push(line);
    await file.close();
    expect(scanned).toEqual(read);
    expect(file.digest()).toBe(sha(text.slice(0, text.lastIndexOf("\n") + 1)));
  });

  it("a last line without a newline counts only when it is already complete JSON", async () => {
    const complete = await readAll(`${pad}{"a":1}\n{"b":2}`);
    expect(complete.lines.at(-1)!.text).toBe('{"b":2}');
    expect(complete.file.torn).toBe(false);
    expect(complete.file.consumed).toBe(Buffer.byteLength(`${pad}{"a":1}\n{"b":2}`));

    const torn = await readAll(`${pad}{"a":1}\n{"b":"cut in the mi`);
    expect(torn.lines.at(-1)!.text).toBe('{"a":1}');
    expect(torn.file.torn).toBe(true);
    expect(torn.file.consumed).toBe(Buffer.byteLength(`${pad}{"a":1}\n`));
    expect(torn.digest).toBe(sha(`${pad}{"a":1}\n`));
  });

  it("hashes exactly the consumed bytes (salted) and says whether a previous prefix is intact", async () => {
    const head = `${pad}{"a":1}\n{"b":2}\n`;
    const text = `${head}{"c":3}\n`;
    expect((await readAll(text)).digest).toBe(sha(text));
    const intact = await readAll(text, { size: Buffer.byteLength(head), sha256: sha(head) });
    expect(intact.file.prefixStatus).toBe("intact");
    const changed = await readAll(text.replace('"a":1', '"a":7'), { size: Buffer.byteLength(head), sha256: sha(head) });
    expect(changed.file.prefixStatus).toBe("changed");
    // The old end falls inside a line now: not the same file.
    const moved = await readAll(text, { size: Buffer.byteLength(head) - 3, sha256: sha(head) });
    expect(moved.file.prefixStatus).toBe("changed");
  });

  it("a line that is not UTF-8 comes back as null text (reported by the readers), the next ones still read", async () => {
    const bytes = Buffer.concat([Buffer.from(`${pad}{"a":1}\n`), Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]), Buffer.from('{"b":2}\n')]);
    const { lines } = await readAll(bytes);
    expect(lines.slice(-2).map((l) => l.text)).toEqual([null, '{"b":2}']);
  });
});

it("read() serves byte ranges, also far apart in a streamed file", async () => {
  const path = tempDir().join("big.jsonl");
  const text = `${"a".repeat(9 * 1024 * 1024)}\nmiddle\n${"b".repeat(3 * 1024 * 1024)}\nend\n`;
  writeFileSync(path, text);
  const file = await SourceFile.open(path, Buffer.byteLength(text));
  const at = (s: string) => Buffer.byteLength(text.slice(0, text.indexOf(s)));
  expect((await file.read(at("end"), at("end") + 3)).toString()).toBe("end");
  expect((await file.read(at("middle"), at("middle") + 6)).toString()).toBe("middle");
  await file.close();
});

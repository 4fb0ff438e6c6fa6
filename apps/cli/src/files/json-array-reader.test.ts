import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonStreamError, readJsonArray } from "./json-array-reader.js";

/** The file's bytes in pieces of the given sizes (the last piece takes the rest). */
async function* pieces(bytes: Buffer, sizes: readonly number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (const size of sizes) {
    if (at >= bytes.length) return;
    yield bytes.subarray(at, at + size);
    at += size;
  }
  if (at < bytes.length) yield bytes.subarray(at);
}

async function read(text: string | Buffer, sizes: readonly number[] = []): Promise<{ value: unknown; offset: number; bytes: number; inArray: boolean }[]> {
  const out = [];
  for await (const e of readJsonArray(pieces(Buffer.from(text), sizes))) out.push({ value: e.value, offset: e.offset, bytes: e.bytes, inArray: e.inArray });
  return out;
}

async function failure(text: string | Buffer): Promise<JsonStreamError> {
  try {
    await read(text);
  } catch (error) {
    if (error instanceof JsonStreamError) return error;
    throw error;
  }
  throw new Error("expected a JsonStreamError");
}

const tricky = [{ s: 'a "quoted" ] } , [ { string', back: "\\", nested: [[{ x: ["]"] }]] }, "plain", 42, true, null, { emoji: "🚀 日本語", esc: "\u0000\u2028" }];

describe("readJsonArray", () => {
  it("gives each element of the array with its offset and size, whatever the chunk boundaries", async () => {
    const text = JSON.stringify(tricky, null, 2);
    const whole = await read(text);
    expect(whole.map((e) => e.value)).toEqual(tricky);
    for (const e of whole) expect(JSON.parse(Buffer.from(text).subarray(e.offset, e.offset + e.bytes).toString())).toEqual(e.value);
    // Every split into two chunks, then chunks of 1 byte.
    for (let cut = 1; cut < Buffer.byteLength(text); cut++) expect(await read(text, [cut])).toEqual(whole);
    expect(await read(text, Array(Buffer.byteLength(text)).fill(1))).toEqual(whole);
  });

  it("reads any JSON array the same as JSON.parse, in any chunking", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue()), fc.boolean(), fc.array(fc.integer({ min: 1, max: 64 })), async (values, pretty, sizes) => {
        const text = JSON.stringify(values, null, pretty ? 2 : undefined);
        expect((await read(text, sizes)).map((e) => e.value)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it("reads one top-level object as one element, skips a byte order mark, and an empty array is nothing", async () => {
    expect(await read(`\ufeff  {"a": [1, "}"]}\n`)).toEqual([{ value: { a: [1, "}"] }, offset: 5, bytes: 15, inArray: false }]);
    expect(await read("[ ]")).toEqual([]);
  });

  it("finds a string's end across chunk boundaries, whatever runs of backslashes come before a quote", async () => {
    // Strings ending in 0–5 backslashes, escaped quotes next to escaped backslashes, a quote written as \u0022, nested arrays.
    const values = [...[0, 1, 2, 3, 4, 5].map((k) => `end${"\\".repeat(k)}`), '\\"', '"\\', '\\\\"x"\\', [[["]", ["\\"]]], [[]]]];
    const text = `${JSON.stringify(values).slice(0, -1)}, "\\u0022]}\\\\"]`;
    values.push('"]}\\');
    const bytes = Buffer.byteLength(text);
    // Every cut into two chunks, and chunks of 1, 2 and 3 bytes.
    for (let cut = 1; cut < bytes; cut++) expect((await read(text, [cut])).map((e) => e.value)).toEqual(values);
    for (const size of [1, 2, 3]) expect((await read(text, Array(bytes).fill(size))).map((e) => e.value)).toEqual(values);
  });

  it("decodes a multi-byte character split across chunks whole", async () => {
    const values = ["é", "日本語", "🚀🚀", { "ключ": "значение" }];
    const bytes = Buffer.from(JSON.stringify(values));
    for (let cut = 1; cut < bytes.length; cut++) expect((await read(bytes, [cut])).map((e) => e.value)).toEqual(values);
  });

  it("skips a byte order mark cut by a chunk's end, and any JSON whitespace between elements", async () => {
    const text = "\ufeff\r\n\t[\r\n\t{\"a\":\t1}\r\n,\n 2 ,\t\"x\"\r\n]\r\n";
    const expected = [{ a: 1 }, 2, "x"];
    for (const size of [1, 2, 3, 4]) expect((await read(text, Array(Buffer.byteLength(text)).fill(size))).map((e) => e.value)).toEqual(expected);
    // Only a whole mark, and only first.
    expect(await failure(Buffer.from([0xef, 0xbb, ...Buffer.from("[]")]))).toMatchObject({ message: expect.stringContaining("should start with [ or {"), offset: 0 });
    expect(await failure(" \ufeff[]")).toMatchObject({ message: expect.stringContaining("should start with [ or {"), offset: 1 });
    expect(await failure("\ufeff")).toMatchObject({ message: "the file is empty" });
  });

  it("refuses bytes that are not UTF-8 (decoding them would change the text silently), naming the byte", async () => {
    const bad = Buffer.concat([Buffer.from('[{"a": "ok"}, {"a": "caf'), Buffer.from([0xe9]), Buffer.from('"}]')]);
    expect(await failure(bad)).toMatchObject({ message: "the text is not valid UTF-8", offset: 24 });
    // A character cut by a chunk's end is not a bad byte.
    const good = Buffer.from('["café", "日本"]');
    for (let cut = 1; cut < good.length; cut++) expect((await read(good, [cut])).map((e) => e.value)).toEqual(["café", "日本"]);
  });

  it("says where the file stops being a JSON array", async () => {
    expect(await failure("")).toMatchObject({ message: "the file is empty" });
    expect(await failure("nope")).toMatchObject({ message: expect.stringContaining("should start with [ or {"), offset: 0 });
    expect(await failure('[{"a": 1}, {"a": 2')).toMatchObject({ message: "the file ends in the middle of session 2 (cut short?)" });
    expect(await failure('[{"a": 1}')).toMatchObject({ message: expect.stringContaining("before the array is closed") });
    expect(await failure('[{"a": 1} {"b": 2}]')).toMatchObject({ message: 'expected "," or "]" after session 1', offset: 10 });
    expect(await failure('[{"a": 1},]')).toMatchObject({ message: 'a value is missing before "]"', offset: 10 });
    expect(await failure('[ ,{"a": 1}]')).toMatchObject({ message: 'a value is missing before ","', offset: 2 });
    expect(await failure('[{"a": 1}] x')).toMatchObject({ message: expect.stringContaining("after the end"), offset: 11 });
    // Inside an element, JSON.parse decides; the offset is where it stopped, else where the element begins.
    expect(await failure('[{"a": 1}, {"a": 1 "b": 2}]')).toMatchObject({ message: "invalid JSON", offset: 19 });
    expect(await failure('[{"a": 1}, {"a": tru}]')).toMatchObject({ message: "invalid JSON", offset: 11 });
  });
});

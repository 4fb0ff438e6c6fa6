import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { pgAccess, toPgMessageRow, type PgAccess } from "../../src/engine/pg/access.js";
import { isPgStorable, toStorableMessageRow } from "../../src/engine/pg/storable-text.js";
import { decodeMessage, encodeMessage } from "../../src/domain/message-codec.js";
import type { Message } from "../../src/domain/types.js";
import { describePg, pgFixture, type PgFixture } from "./helpers.js";
import { PgHarness, input } from "./harness.js";

// Any UTF-16 code unit, NUL and lone surrogates often.
const unit = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)) },
  { weight: 2, arbitrary: fc.constantFrom("\u0000", "\ud800", "\udfff", "\ud83d", "'", '"', "\\", "\ufffd", "e\u0301") },
);
const anyString = fc.string({ unit, maxLength: 30 });
const optionalText = fc.option(fc.option(anyString, { nil: null }), { nil: undefined, freq: 3 });
const message: fc.Arbitrary<Message> = fc
  .record({ role: anyString, content: optionalText, name: optionalText, tool_call_id: optionalText, extra: fc.dictionary(anyString.filter((k) => !["role", "content", "name", "tool_calls", "tool_call_id", "__proto__"].includes(k)), anyString, { maxKeys: 2 }) })
  .map(({ extra, ...std }) => {
    const m: Record<string, unknown> = { ...extra };
    for (const [k, v] of Object.entries(std)) if (v !== undefined) m[k] = v;
    return m as Message;
  });

it("the PostgreSQL row of any message is storable, decodes to the message, and is made once (idempotent)", () => {
  fc.assert(
    fc.property(message, (m) => {
      const row = toPgMessageRow(encodeMessage(m, 0));
      for (const key of ["role", "content", "name", "tool_call_id"] as const) {
        const value = row[key];
        if (value !== null) expect(isPgStorable(value)).toBe(true);
      }
      expect(decodeMessage(row)).toStrictEqual(m);
      expect(toStorableMessageRow(row)).toBe(row);
    }),
    { numRuns: 500 },
  );
});

describePg("PostgreSQL: text that PostgreSQL cannot store as is", () => {
  let fixture: PgFixture;
  let harness: PgHarness;
  let access: PgAccess;
  let counter = 0;

  beforeAll(async () => {
    fixture = await pgFixture();
    const connection = await fixture.migrated();
    harness = new PgHarness(connection, "text-project");
    access = pgAccess(connection.db, { project: harness.project, target: connection.target });
  });

  afterAll(async () => {
    await fixture?.cleanup();
  });

  it("load(save(x)) = x for messages with NUL and lone surrogates anywhere (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(message, { maxLength: 6 }), anyString, async (messages, model) => {
        const id = `prop-${++counter}`;
        const snapshot = structuredClone(messages);
        await harness.save(input(messages, { sessionId: id, model }));
        const loaded = await harness.load(id);
        expect(loaded!.conversation.messages).toStrictEqual(snapshot);
        expect(loaded!.metadata.model).toBe(model);
      }),
      { numRuns: 60 },
    );
  });

  it("such text stays searchable: the column holds a copy with U+FFFD for each NUL or lone surrogate", async () => {
    const messages: Message[] = [
      { role: "user", content: "binary\u0000paste from the zanzibar logs" },
      { role: "assistant", content: "broken \ud800surrogate in quixotic text" },
      { role: "user\u0000x", content: "plain", name: "na\u0000me", tool_call_id: "\udfff" },
    ];
    await harness.save(input(messages, { sessionId: "nul-search" }));
    expect((await harness.load("nul-search"))!.conversation.messages).toStrictEqual(messages);
    for (const word of ["binary", "paste", "zanzibar", "quixotic", "surrogate"]) {
      expect((await access.searchSessions(word, 10)).map((r) => r.id), word).toEqual(["nul-search"]);
    }
    const stored = await access.messagesOf("nul-search");
    expect(stored[0]!.content).toBe("binary\ufffdpaste from the zanzibar logs");
    expect(stored[1]!.content).toBe("broken \ufffdsurrogate in quixotic text");
    expect(stored[2]!.role).toBe("user\ufffdx");
  });

  it("a re-save of unchanged messages with such text writes nothing (stored rows compare equal)", async () => {
    const messages: Message[] = [{ role: "user", content: "a\u0000b" }, { role: "assistant", content: "\ud800" }];
    await harness.save(input(messages, { sessionId: "nul-resave" }));
    const again = await harness.save(input(structuredClone(messages), { sessionId: "nul-resave" }));
    expect(again.written).toBe(0);
  });

  it("session columns (title, model, provider, profile) with NUL or lone surrogates come back exact, in load, list and search", async () => {
    const messages: Message[] = [{ role: "user", content: "title with a \u0000 in it, quokka" }];
    await harness.save(input(messages, { sessionId: "nul-columns", model: "gpt\u0000x", provider: "\ud800p", profile: "pro\u0000file" }));
    const loaded = await harness.load("nul-columns");
    expect(loaded!.metadata).toMatchObject({ title: "title with a \u0000 in it, quokka", model: "gpt\u0000x", provider: "\ud800p", profile: "pro\u0000file" });
    const [summary] = (await access.listSessions({ limit: -1, offset: 0 })).filter((s) => s.id === "nul-columns");
    expect(summary).toMatchObject({ name: "title with a \u0000 in it, quokka", model: "gpt\u0000x", provider: "\ud800p", profile: "pro\u0000file" });
    const [hit] = await access.searchSessions("quokka", 10);
    expect(hit).toMatchObject({ id: "nul-columns", title: "title with a \u0000 in it, quokka", model: "gpt\u0000x" });
    // A rename replaces the title's exact text and keeps the others'.
    await access.updateTitle("nul-columns", { name: "new \u0000 title", search_title: "new \u0000 title", data: JSON.stringify({ title_is_custom: true }), updated_at: "2026-03-01T00:00:00.000Z" });
    expect((await harness.load("nul-columns"))!.metadata).toMatchObject({ title: "new \u0000 title", model: "gpt\u0000x", provider: "\ud800p" });
    await access.updateTitle("nul-columns", { name: "clean title", search_title: "clean title", data: JSON.stringify({ title_is_custom: true }), updated_at: "2026-03-02T00:00:00.000Z" });
    expect((await harness.load("nul-columns"))!.metadata).toMatchObject({ title: "clean title", model: "gpt\u0000x" });
  });
});

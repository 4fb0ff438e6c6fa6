import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeMessage, encodeMessage, isStorableText } from "../src/domain/message-codec.js";
import type { Message, SessionStore } from "../src/index.js";
import { describeEngines, type StoreFixture } from "./engines.js";
import { input } from "./helpers.js";

/**
 * Property: whatever messages a caller hands to saveSession come back from loadSession unchanged —
 * in the same store and in a fresh one, on every engine — including lone surrogates, NUL, huge
 * strings, non-string content, arbitrary JSON tool calls and unknown keys, absent vs null keys.
 */

const STANDARD = new Set(["role", "content", "name", "tool_calls", "tool_call_id"]);

// Any UTF-16 code unit (so lone surrogates too), plus full code points and some specials.
const unit = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)) },
  { weight: 1, arbitrary: fc.constantFrom("\u0000", "\ud800", "\udfff", "\ud83d", "'", '"', "\\", "%", "\u200d", "e\u0301") },
);
const anyString = fc.string({ unit, maxLength: 40 });
// A few big strings (~0.25–1 MB), built cheaply by repetition.
const bigString = fc.tuple(fc.string({ unit, minLength: 1, maxLength: 8 }), fc.integer({ min: 250_000, max: 1_000_000 })).map(([s, n]) =>
  s.repeat(Math.ceil(n / s.length)).slice(0, n),
);
const text = fc.oneof({ weight: 60, arbitrary: anyString }, { weight: 1, arbitrary: bigString });

// JSON values whose strings may hold any code unit.
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
    anyString,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(anyString, tie("value"), { maxKeys: 4, noNullPrototype: true }),
  ),
})).value;

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(fc.option(arb, { nil: null }), { nil: undefined, freq: 3 });

const message: fc.Arbitrary<Message> = fc
  .record({
    role: fc.oneof(fc.constantFrom("user", "assistant", "system", "tool"), anyString),
    content: optional(fc.oneof({ weight: 5, arbitrary: text }, { weight: 1, arbitrary: json })),
    name: optional(fc.oneof({ weight: 5, arbitrary: anyString }, { weight: 1, arbitrary: json })),
    tool_calls: optional(json),
    tool_call_id: optional(fc.oneof({ weight: 5, arbitrary: anyString }, { weight: 1, arbitrary: json })),
    extra: fc.dictionary(anyString.filter((k) => !STANDARD.has(k) && k !== "__proto__"), json, { maxKeys: 3, noNullPrototype: true }),
  })
  .map(({ extra, ...std }) => {
    const m: Record<string, unknown> = { ...extra };
    for (const [k, v] of Object.entries(std)) if (v !== undefined) m[k] = v;
    return m as Message;
  });

const messages = fc.array(message, { maxLength: 8 });

describe("the message codec", () => {
  it("the row of any message holds only text every engine stores, decodes to the message, and is made the same way twice", () => {
    fc.assert(
      fc.property(message, (m) => {
        const row = encodeMessage(m, 0);
        for (const key of ["role", "content", "name", "tool_calls", "tool_call_id", "extra"] as const) {
          const value = row[key];
          if (value !== null) expect(isStorableText(value)).toBe(true);
        }
        expect(decodeMessage(row)).toStrictEqual(m);
        expect(encodeMessage(decodeMessage(row), 0)).toEqual(row);
      }),
      { numRuns: 500 },
    );
  });
});

describeEngines("round trip (property)", (engine) => {
  let fixture: StoreFixture;
  let store: SessionStore;
  let reader: SessionStore;
  let counter = 0;
  const nextId = () => `prop-${++counter}`;

  beforeAll(async () => {
    fixture = await engine.fresh();
    store = fixture.store;
    reader = await fixture.another();
  });

  /** A load by another store (another connection), which never saved the session. */
  const loadFresh = (id: string) => reader.loadSession(id);

    it("save -> load returns the messages, conversation fields and state unchanged", async () => {
      await fc.assert(
        fc.asyncProperty(messages, fc.dictionary(anyString.filter((k) => k !== "messages" && k !== "__proto__"), json, { maxKeys: 3, noNullPrototype: true }), json, json, async (msgList, convFields, state, stats) => {
          const id = nextId();
          const snapshot = structuredClone(msgList);
          await store.saveSession({
            sessionId: id,
            conversation: { ...convFields, messages: msgList },
            model: "m",
            provider: "p",
            conversationState: state,
            toolSelectionStats: stats,
          });
          expect(msgList).toStrictEqual(snapshot); // save does not mutate the input
          for (const loaded of [await store.loadSession(id), await loadFresh(id)]) {
            expect(loaded).not.toBeNull();
            expect(loaded!.conversation.messages).toStrictEqual(snapshot);
            expect(loaded!.conversation).toStrictEqual({ ...convFields, messages: snapshot });
            expect(loaded!.conversation_state).toStrictEqual(state);
            expect(loaded!.tool_selection_stats).toStrictEqual(stats);
            expect(loaded!.metadata.message_count).toBe(snapshot.length);
          }
        }),
        // A server round trip per save and load, with strings up to 1 MB: fewer runs there.
      { numRuns: engine.name === "postgres" ? 40 : 100 },
      );
    });

    it("incremental appends (and streamed edits of the last message) equal a fresh load at every step", async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(messages, fc.boolean(), text), { minLength: 1, maxLength: 4 }), async (steps) => {
          const id = nextId();
          const conversation: Message[] = [];
          for (const [batch, editLast, newText] of steps) {
            if (editLast && conversation.length > 0) conversation[conversation.length - 1]!.content = newText;
            conversation.push(...batch);
            await store.saveSession({ sessionId: id, conversation: { messages: conversation }, model: "m", provider: "p" });
            const fresh = await loadFresh(id);
            expect(fresh!.conversation.messages).toStrictEqual(structuredClone(conversation));
          }
        }),
        { numRuns: 30 },
      );
    });

    it("lone surrogates, NUL and 1 MB strings in every slot", async () => {
      const big = "€\u0000\ud800x".repeat(262_144); // ~1 MB of code units
      const msgList: Message[] = [
        { role: "user", content: "a\u0000b\ud800c\udfffd" },
        { role: "assistant", content: big, name: "\ud83d", tool_call_id: "\u0000" },
        { role: "tool", content: null, tool_calls: [{ id: big.slice(0, 1000), args: { s: big } }], extra_key: big },
        { role: "user", content: ["parts", { type: "text", text: "\u0000\ud800" }] },
      ];
      const id = nextId();
      await store.saveSession({ sessionId: id, conversation: { messages: msgList }, model: "m", provider: "p" });
      expect((await loadFresh(id))!.conversation.messages).toStrictEqual(msgList);
    });

    it("absent vs null vs empty standard keys are kept apart", async () => {
      const msgList: Message[] = [
        { role: "user" },
        { role: "user", content: null, name: null, tool_calls: null, tool_call_id: null },
        { role: "user", content: "", name: "", tool_calls: [], tool_call_id: "" },
        { role: "user", content: 0, name: false as never, tool_calls: "string-calls", tool_call_id: 7 as never },
        { role: "user", content: { nested: [1, 2, { x: null }] } },
      ];
      const id = nextId();
      await store.saveSession({ sessionId: id, conversation: { messages: msgList }, model: "m", provider: "p" });
      expect((await loadFresh(id))!.conversation.messages).toStrictEqual(msgList);
    });

    it("a role with a lone surrogate survives", async () => {
      const msgList: Message[] = [{ role: "\ud83d", content: "x" }, { role: "user\udc00", content: "y" }];
      const id = nextId();
      await store.saveSession({ sessionId: id, conversation: { messages: msgList }, model: "m", provider: "p" });
      expect((await loadFresh(id))!.conversation.messages).toStrictEqual(msgList);
    });

    // A "__proto__" key (legal in JSON, e.g. from a legacy file parsed with JSON.parse) must stay a key,
    // not reach the prototype setter.
    it('an unknown "__proto__" key survives', async () => {
      const msgList = JSON.parse('[{"role":"user","content":"hi","__proto__":{"polluted":true}}]') as Message[];
      const id = nextId();
      await store.saveSession({ sessionId: id, conversation: { messages: msgList }, model: "m", provider: "p" });
      const loaded = (await loadFresh(id))!.conversation.messages[0]!;
      expect(Object.getPrototypeOf(loaded)).toBe(Object.prototype);
      expect((loaded as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.keys(loaded).sort()).toEqual(["__proto__", "content", "role"]);
    });

    it("text with NUL or lone surrogates stays searchable: its column holds a copy with U+FFFD for each", async () => {
      const messages: Message[] = [
        { role: "user", content: "binary\u0000paste from the zanzibar logs" },
        { role: "assistant", content: "broken \ud800surrogate in quixotic text" },
        { role: "user\u0000x", content: "plain", name: "na\u0000me", tool_call_id: "\udfff" },
      ];
      const id = nextId();
      await store.saveSession(input(messages, { sessionId: id }));
      expect((await loadFresh(id))!.conversation.messages).toStrictEqual(messages);
      for (const word of ["binary", "paste", "zanzibar", "quixotic", "surrogate"]) {
        expect((await store.searchSessions(word)).map((r) => r.id), word).toEqual([id]);
      }
      const stored = await fixture.messageRows(id);
      expect(stored.map((r) => [r.role, r.content])).toEqual([
        ["user", "binary\ufffdpaste from the zanzibar logs"],
        ["assistant", "broken \ufffdsurrogate in quixotic text"],
        ["user\ufffdx", "plain"],
      ]);
    });

    it("a re-save of unchanged messages with such text writes nothing (stored rows compare equal)", async () => {
      const messages: Message[] = [{ role: "user", content: "a\u0000b" }, { role: "assistant", content: "\ud800" }];
      const id = nextId();
      await store.saveSession(input(messages, { sessionId: id }));
      const rows = await fixture.messageRows(id);
      const other = await fixture.another();
      await other.saveSession(input(structuredClone(messages), { sessionId: id }));
      expect(await fixture.messageRows(id)).toEqual(rows);
    });

    it("session columns (title, model, provider, profile) with NUL or lone surrogates come back exact, in load, list, search and rename", async () => {
      const id = nextId();
      await store.saveSession(input([{ role: "user", content: "title with a \u0000 in it, quokka" }], { sessionId: id, model: "gpt\u0000x", provider: "\ud800p", profile: "pro\u0000file" }));
      expect((await loadFresh(id))!.metadata).toMatchObject({ title: "title with a \u0000 in it, quokka", model: "gpt\u0000x", provider: "\ud800p", profile: "pro\u0000file" });
      const [summary] = (await store.listSessions({ limit: -1 })).filter((s) => s.id === id);
      expect(summary).toMatchObject({ title: "title with a \u0000 in it, quokka", model: "gpt\u0000x", provider: "\ud800p", profile: "pro\u0000file" });
      const [hit] = await store.searchSessions("quokka");
      expect(hit).toMatchObject({ id, title: "title with a \u0000 in it, quokka", model: "gpt\u0000x" });
      // A rename replaces the title's exact text and keeps the others'.
      await store.renameSession(id, "new \u0000 title");
      expect((await loadFresh(id))!.metadata).toMatchObject({ title: "new \u0000 title", model: "gpt\u0000x", provider: "\ud800p" });
      await store.renameSession(id, "clean title");
      expect((await loadFresh(id))!.metadata).toMatchObject({ title: "clean title", model: "gpt\u0000x" });
    });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { legacySessionSchema, surelyLegacySession } from "../src/legacy-schema.js";

// Each field: a value of the expected kind, null, or any other JSON value.
const text = fc.oneof(fc.string(), fc.constant(null), fc.jsonValue());
const num = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null), fc.jsonValue());
const bool = fc.oneof(fc.boolean(), fc.constant(null), fc.jsonValue());
const list = <T>(item: fc.Arbitrary<T>) => fc.oneof(fc.array(item, { maxLength: 4 }), fc.constant(null), fc.jsonValue());
const message = fc.oneof(fc.record({ role: text, name: text, tool_call_id: text, content: fc.jsonValue() }, { requiredKeys: [] }), fc.jsonValue());
const session = fc.record(
  {
    metadata: fc.oneof(
      fc.record({ session_id: text, created_at: text, updated_at: text, model: text, provider: text, profile: text, title: text, message_count: num, tags: list(text), other: fc.jsonValue() }, { requiredKeys: [] }),
      fc.jsonValue(),
    ),
    conversation: fc.oneof(
      fc.record({ system_prompt: text, system_added: bool, max_history: num, preview_messages: list(fc.jsonValue()), messages: list(message) }, { requiredKeys: [] }),
      fc.jsonValue(),
    ),
    conversation_state: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

describe("surelyLegacySession", () => {
  it("accepts exactly the JSON values the zod schema accepts", () => {
    fc.assert(
      fc.property(session, (value) => {
        const json = JSON.parse(JSON.stringify(value)) as unknown;
        expect(surelyLegacySession(json)).toBe(legacySessionSchema.safeParse(json).success);
      }),
      { numRuns: 3000 },
    );
  });
});

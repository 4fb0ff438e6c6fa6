import { describe, expect, it } from "vitest";
import { msg } from "../slash/test-helpers/fake-context.js";
import { normalizeToolCalls, toModelPrompt } from "./convert.js";

describe("toModelPrompt", () => {
  it("uses leading system messages as the system prompt", () => {
    const p = toModelPrompt({ system_prompt: "ignored", messages: [msg("system", "S1"), msg("system", "[Previous conversation summary]\nS2"), msg("user", "hi")] });
    expect(p.system).toBe("S1\n\n[Previous conversation summary]\nS2");
    expect(p.messages).toEqual([{ role: "user", content: "hi" }]);
  });

  it("falls back to the conversation's system_prompt", () => expect(toModelPrompt({ system_prompt: "SP", messages: [msg("user", "hi")] }).system).toBe("SP"));

  it("converts legacy {id, name, arguments} tool calls and results", () => {
    const p = toModelPrompt({
      messages: [
        msg("user", "read it"),
        msg("assistant", "Reading.", { tool_calls: [{ id: "toolu_1", name: "read", arguments: { path: "a.py" } }] }),
        msg("tool", "contents", { tool_call_id: "toolu_1", name: "read" }),
        msg("assistant", "done"),
      ],
    });
    expect(p.messages[1]).toEqual({
      role: "assistant",
      content: [
        { type: "text", text: "Reading." },
        { type: "tool-call", toolCallId: "toolu_1", toolName: "read", input: { path: "a.py" } },
      ],
    });
    expect(p.messages[2]).toEqual({ role: "tool", content: [{ type: "tool-result", toolCallId: "toolu_1", toolName: "read", output: { type: "text", value: "contents" } }] });
    expect(p.toolNames).toEqual(["read"]);
  });

  it("converts OpenAI {type: function, function: {name, arguments}} tool calls with JSON string arguments", () => {
    const p = toModelPrompt({
      messages: [
        msg("assistant", "", { tool_calls: [{ id: "call_9", type: "function", function: { name: "grep", arguments: '{"q":"x"}' } }] }),
        msg("tool", "no match", { tool_call_id: "call_9" }),
      ],
    });
    expect(p.messages[0]).toEqual({ role: "assistant", content: [{ type: "tool-call", toolCallId: "call_9", toolName: "grep", input: { q: "x" } }] });
    expect(p.messages[1]).toMatchObject({ role: "tool", content: [{ toolName: "grep", toolCallId: "call_9" }] });
  });

  it("drops unanswered tool calls and orphan tool results (providers reject them)", () => {
    const p = toModelPrompt({
      messages: [msg("assistant", "", { tool_calls: [{ id: "x", name: "read", arguments: {} }] }), msg("tool", "orphan", { tool_call_id: "y" }), msg("user", "hi")],
    });
    expect(p.messages).toEqual([{ role: "user", content: "hi" }]);
  });

  it("keeps unparseable string arguments instead of failing", () =>
    expect(normalizeToolCalls([{ id: "a", function: { name: "f", arguments: "not json" } }])[0]!.input).toEqual({ arguments: "not json" }));
});

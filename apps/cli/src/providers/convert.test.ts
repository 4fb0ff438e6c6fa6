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

// A real 1×1 PNG, and the first bytes of a JPEG: the bytes say which type they are.
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]).toString("base64");
const png = { type: "image", image: PNG, mediaType: "image/png" };
/** What an import leaves in place of text that went into the message's content. */
const pointer = (m: number, len: number) => ({ $victor: "content", m, at: 0, len });
const none = { localFiles: 0, links: 0, unusable: 0 };

describe("toModelPrompt: images of user messages", () => {
  it("sends the Python Victor's `images` (data URIs, bare base64) as image parts before the text", () => {
    const p = toModelPrompt({ messages: [msg("user", "what is this?", { images: [`data:image/png;base64,${PNG}`, JPEG] })] });
    expect(p.messages).toEqual([{ role: "user", content: [png, { type: "image", image: JPEG, mediaType: "image/jpeg" }, { type: "text", text: "what is this?" }] }]);
    expect(p.unsentImages).toEqual(none);
  });

  it("takes the media type from the bytes, not from the data URI (Anthropic rejects a mismatch)", () => {
    const p = toModelPrompt({ messages: [msg("user", "", { images: [`data:image/jpeg;base64,${PNG}`] })] });
    expect(p.messages).toEqual([{ role: "user", content: [png] }]);
  });

  it("counts local paths and other shapes as not sent, and keeps the message as text", () => {
    const svg = `data:image/svg+xml;base64,${Buffer.from("<svg/>").toString("base64")}`;
    const p = toModelPrompt({ messages: [msg("user", "look", { images: ["/home/dev/shot.png", "~/Desktop/a.jpg", "shot.png", svg, "not an image", 42] })] });
    expect(p.messages).toEqual([{ role: "user", content: "look" }]);
    expect(p.unsentImages).toEqual({ localFiles: 3, links: 0, unusable: 3 });
  });

  it("sends OpenAI-style content lists: image_url data URIs as images, the rest as text; a web link is not sent (a dead one would fail every reply)", () => {
    const p = toModelPrompt({
      messages: [
        msg("user", "", {
          content: [
            { type: "text", text: "compare " },
            { type: "image_url", image_url: { url: "https://example.com/a.png", detail: "high" } },
            { type: "text", text: "and this" },
            { type: "image_url", image_url: `data:image/png;base64,${PNG}` },
          ],
        }),
      ],
    });
    expect(p.messages).toEqual([{ role: "user", content: [png, { type: "text", text: "compare and this" }] }]);
    expect(p.unsentImages).toEqual({ localFiles: 0, links: 1, unusable: 0 });
  });

  it("keeps assistant and tool messages text: an image part there is a placeholder, not base64 as text", () => {
    const p = toModelPrompt({ messages: [msg("user", "hi"), msg("assistant", "", { content: [{ type: "text", text: "Here: " }, { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } }] })] });
    expect(p.messages[1]).toEqual({ role: "assistant", content: "Here: [image]" });
  });

  it("an imported Claude Code turn: the image blocks of its record, on the user message after its tool results", () => {
    const record = {
      type: "user",
      uuid: "u2",
      message: {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: { $victor: "tool_call_id", m: 0 }, content: pointer(0, 2) },
          { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
          { type: "text", text: pointer(1, 11) },
        ],
      },
    };
    const p = toModelPrompt({
      messages: [
        msg("user", "run it", { claude: [{ type: "user", message: { role: "user", content: pointer(0, 6) } }] }),
        msg("assistant", "", { tool_calls: [{ id: "toolu_1", type: "function", function: { name: "Bash", arguments: "{}" } }], claude: [{ type: "assistant" }] }),
        msg("tool", "ok", { tool_call_id: "toolu_1", claude: [record] }),
        msg("user", "what's this?"),
      ],
    });
    expect(p.messages[0]).toEqual({ role: "user", content: "run it" });
    expect(p.messages[3]).toEqual({ role: "user", content: [png, { type: "text", text: "what's this?" }] });
  });

  it("does not send images of lines an import kept beside the conversation (an abandoned branch, a tool's output)", () => {
    const abandoned = { type: "user", message: { role: "user", content: [{ type: "image", source: { type: "base64", media_type: "image/png", data: PNG } }] } };
    const info = { type: "info", content: [{ inlineData: { mimeType: "image/png", data: PNG } }] };
    const p = toModelPrompt({
      messages: [
        msg("user", "q", { claude: [{ type: "user", message: { role: "user", content: pointer(0, 1) } }, abandoned] }),
        msg("assistant", "a", { claude: [{ type: "assistant" }, abandoned] }),
        msg("user", "r", { gemini: [{ type: "user", content: [{ text: pointer(0, 1) }] }, info] }),
        msg("assistant", "b", { gemini: [{ type: "gemini" }, info] }),
        msg("user", "typed in Victor after the import"),
      ],
    });
    expect(p.messages.every((m) => typeof m.content === "string")).toBe(true);
    expect(p.unsentImages).toEqual(none);
  });

  it("an imported Codex turn: input_image parts of its message item; a rolled-back turn kept with it is not sent", () => {
    const item = (content: unknown[]) => ({ timestamp: "t", type: "response_item", payload: { type: "message", role: "user", content } });
    const p = toModelPrompt({
      messages: [
        msg("user", "Is this the cron schedule?", { codex: [item([{ type: "input_image", image_url: `data:image/png;base64,${PNG}` }, { type: "input_text", text: pointer(0, 26) }])] }),
        msg("user", "again", { codex: [item([{ type: "input_text", text: pointer(0, 5) }]), item([{ type: "input_image", image_url: `data:image/png;base64,${PNG}` }])] }),
      ],
    });
    expect(p.messages).toEqual([
      { role: "user", content: [png, { type: "text", text: "Is this the cron schedule?" }] },
      { role: "user", content: "again" },
    ]);
  });

  it("an imported gemini-cli turn: inlineData parts of a log record and of a checkpoint entry; a gs:// fileData is not sent", () => {
    const p = toModelPrompt({
      messages: [
        msg("user", "what is this", { gemini: [{ id: "u1", type: "user", content: [{ text: pointer(0, 12) }, { inlineData: { mimeType: "image/png", data: PNG } }] }] }),
        msg("user", "and this", { gemini: [{ role: "user", parts: [{ text: pointer(0, 8) }, { inlineData: { mimeType: "image/jpeg", data: JPEG } }, { fileData: { mimeType: "image/png", fileUri: "gs://b/x.png" } }] }] }),
      ],
    });
    expect(p.messages).toEqual([
      { role: "user", content: [png, { type: "text", text: "what is this" }] },
      { role: "user", content: [{ type: "image", image: JPEG, mediaType: "image/jpeg" }, { type: "text", text: "and this" }] },
    ]);
    expect(p.unsentImages).toEqual({ localFiles: 0, links: 0, unusable: 1 });
  });
});

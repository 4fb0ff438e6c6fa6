import { startFakeLlmServer, type FakeLlmServer, type FakeLlmServerOptions, type Protocol } from "./llm-server.js";

const event = (type: string, data: Record<string, unknown>): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

function anthropicProtocol(): Protocol {
  return {
    kind: "anthropic",
    endpoint: "/v1/messages",
    start: (body) => [
      event("message_start", {
        message: {
          id: "msg_test",
          type: "message",
          role: "assistant",
          model: typeof body?.model === "string" ? body.model : "claude-test",
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 10, output_tokens: 1 },
        },
      }),
      event("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
    ],
    delta: (text) => [event("content_block_delta", { index: 0, delta: { type: "text_delta", text } })],
    finish: (reason = "stop") => [
      event("content_block_stop", { index: 0 }),
      event("message_delta", { delta: { stop_reason: reason === "length" ? "max_tokens" : "end_turn", stop_sequence: null }, usage: { output_tokens: 5 } }),
      event("message_stop", {}),
    ],
    errorBody: (status, message) => ({ type: "error", error: { type: status >= 500 ? "api_error" : "invalid_request_error", message } }),
  };
}

/**
 * A local Anthropic Messages API server (`POST /v1/messages`, SSE streaming) on 127.0.0.1.
 * Point clients at `${server.url}/v1` (or `${server.url}`; Victor appends /v1).
 */
export function startAnthropicServer(options?: FakeLlmServerOptions): Promise<FakeLlmServer> {
  return startFakeLlmServer(anthropicProtocol(), options);
}

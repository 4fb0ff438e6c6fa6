import { startFakeLlmServer, type FakeLlmServer, type FakeLlmServerOptions, type Protocol } from "./llm-server.js";

const sse = (data: unknown): string => `data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`;

function openAiProtocol(): Protocol {
  let model = "gpt-test";
  const chunk = (delta: Record<string, unknown>, finishReason: string | null): string =>
    sse({ id: "chatcmpl-test", object: "chat.completion.chunk", created: 1_700_000_000, model, choices: [{ index: 0, delta, finish_reason: finishReason }] });
  return {
    kind: "openai",
    endpoint: "/v1/chat/completions",
    start: (body) => {
      model = typeof body?.model === "string" ? body.model : model;
      return [chunk({ role: "assistant", content: "" }, null)];
    },
    delta: (text) => [chunk({ content: text }, null)],
    finish: (reason = "stop") => [
      chunk({}, reason),
      sse({ id: "chatcmpl-test", object: "chat.completion.chunk", created: 1_700_000_000, model, choices: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } }),
      sse("[DONE]"),
    ],
    errorBody: (status, message) => ({ error: { message, type: status >= 500 ? "server_error" : "invalid_request_error", code: null } }),
  };
}

/**
 * A local OpenAI chat-completions server (`POST /v1/chat/completions`, SSE streaming) on 127.0.0.1.
 * Point clients at `${server.url}/v1`.
 */
export function startOpenAiServer(options?: FakeLlmServerOptions): Promise<FakeLlmServer> {
  return startFakeLlmServer(openAiProtocol(), options);
}

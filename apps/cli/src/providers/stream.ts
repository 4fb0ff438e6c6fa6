import type { Conversation } from "@victor/core";
import { jsonSchema, streamText, tool, type LanguageModel, type ToolSet } from "ai";
import { anthropicBaseUrl, endpointOf, ollamaBaseUrl, type ModelTarget } from "./config.js";
import { toModelPrompt, type UnsentImages } from "./convert.js";
import { ProviderError, describeProviderError } from "./errors.js";

// Victor reports problems itself, one line each; the SDK's console warnings would only add noise.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

/** How a streamed reply ended. Only `complete` replies belong in the conversation. */
export type ReplyOutcome =
  /** `finishReason`: why the model stopped ("stop", "length" when it hit its output limit, …). */
  | { status: "complete"; text: string; finishReason: string }
  | { status: "aborted"; text: string }
  | { status: "failed"; text: string; error: string };

export interface StreamReplyOptions {
  target: ModelTarget;
  conversation: Pick<Conversation, "messages" | "system_prompt">;
  signal?: AbortSignal;
  onText?: (delta: string) => void;
  /** Called before the request when images of the conversation cannot be part of it. */
  onUnsentImages?: (unsent: UnsentImages) => void;
  env?: NodeJS.ProcessEnv;
}

async function languageModel(target: ModelTarget, env: NodeJS.ProcessEnv): Promise<LanguageModel> {
  switch (target.provider) {
    case "openai": {
      const apiKey = env.OPENAI_API_KEY;
      if (!apiKey) throw new ProviderError("OPENAI_API_KEY is not set: export it, or /switch to another provider (e.g. /switch ollama:qwen2.5-coder:7b).");
      const { createOpenAI } = await import("@ai-sdk/openai");
      return createOpenAI({ apiKey, baseURL: endpointOf(target, env) }).chat(target.model);
    }
    case "anthropic": {
      const apiKey = env.ANTHROPIC_API_KEY;
      if (!apiKey) throw new ProviderError("ANTHROPIC_API_KEY is not set: export it, or /switch to another provider (e.g. /switch ollama:qwen2.5-coder:7b).");
      const { createAnthropic } = await import("@ai-sdk/anthropic");
      return createAnthropic({ apiKey, baseURL: anthropicBaseUrl(env) })(target.model);
    }
    case "ollama": {
      const { createOpenAICompatible } = await import("@ai-sdk/openai-compatible");
      return createOpenAICompatible({ name: "ollama", baseURL: ollamaBaseUrl(env) }).chatModel(target.model);
    }
    case "openai-compatible": {
      if (!target.baseUrl) throw new ProviderError("openai-compatible needs a server URL: start with --base-url URL or set VICTOR_BASE_URL.");
      const { createOpenAICompatible } = await import("@ai-sdk/openai-compatible");
      const apiKey = env.VICTOR_API_KEY;
      return createOpenAICompatible({ name: "openai-compatible", baseURL: target.baseUrl, ...(apiKey ? { apiKey } : {}) }).chatModel(target.model);
    }
    default:
      throw new ProviderError(`Unknown provider "${target.provider}": use anthropic, openai, ollama or openai-compatible.`);
  }
}

/** Tools named in the history, declared without execute: Anthropic rejects tool blocks of undeclared tools. */
function historyTools(names: string[]): ToolSet {
  const schema = jsonSchema({ type: "object", additionalProperties: true });
  return Object.fromEntries(names.map((name) => [name, tool({ description: `${name} (from an earlier session; not available now)`, inputSchema: schema })]));
}

/**
 * Streams one reply. Never throws for request failures: a missing key, an unreachable server, an
 * HTTP error or a stream cut mid-reply come back as `failed` with one clear line.
 */
export async function streamReply(options: StreamReplyOptions): Promise<ReplyOutcome> {
  const env = options.env ?? process.env;
  const { target } = options;
  const endpoint = endpointOf(target, env);
  let text = "";
  try {
    const model = await languageModel(target, env);
    const prompt = toModelPrompt(options.conversation);
    if (Object.values(prompt.unsentImages).some((n) => n > 0)) options.onUnsentImages?.(prompt.unsentImages);
    const tools = target.provider === "anthropic" && prompt.toolNames.length > 0 ? historyTools(prompt.toolNames) : undefined;
    const result = streamText({
      model,
      ...(prompt.system ? { system: prompt.system } : {}),
      messages: prompt.messages,
      // A saved history may hold system notes mid-conversation (the Python Victor wrote them): they are
      // the user's own session, and the SDK's warning about them would reach the terminal raw.
      allowSystemInMessages: true,
      ...(tools ? { tools, toolChoice: "none" as const } : {}),
      abortSignal: options.signal,
      // Failures are reported to the user right away; a retry would only delay that line.
      maxRetries: 0,
      // Errors arrive as stream parts and are reported once, by the caller; the SDK would also log them.
      onError: () => {},
    });
    let finished: string | null = null;
    for await (const part of result.fullStream) {
      if (part.type === "text-delta") {
        text += part.text;
        options.onText?.(part.text);
      } else if (part.type === "error") {
        throw part.error;
      } else if (part.type === "abort") {
        return { status: "aborted", text };
      } else if (part.type === "finish") {
        finished = part.finishReason;
        if (part.finishReason === "error") throw new Error("the stream reported an error");
      }
    }
    if (options.signal?.aborted) return { status: "aborted", text };
    if (finished === null) throw new Error("the stream ended before the reply was complete");
    return { status: "complete", text, finishReason: finished };
  } catch (error) {
    if (options.signal?.aborted) return { status: "aborted", text };
    if (error instanceof ProviderError) return { status: "failed", text, error: error.message };
    return { status: "failed", text, error: describeProviderError(error, target.provider, endpoint, text !== "") };
  }
}

/**
 * One non-interactive completion (used by /compact --smart); throws ProviderError on failure, and
 * when the model stopped at its output limit (the text is cut off: not a whole answer).
 */
export async function completeText(options: Omit<StreamReplyOptions, "onText">): Promise<string> {
  const outcome = await streamReply(options);
  if (outcome.status === "complete") {
    if (outcome.finishReason === "length") throw new ProviderError("the reply was cut off by the model's output limit (finish reason \"length\")");
    return outcome.text;
  }
  throw new ProviderError(outcome.status === "failed" ? outcome.error : "stopped");
}

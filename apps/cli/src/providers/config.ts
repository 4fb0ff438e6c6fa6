import { UsageError } from "@victor/terminal";
import { closest } from "../suggest.js";

/** Provider names Victor knows; `provider:model` only splits when the prefix is one of these. */
export const KNOWN_PROVIDERS = ["anthropic", "openai", "ollama", "openai-compatible"] as const;
export type ProviderName = (typeof KNOWN_PROVIDERS)[number];

export const DEFAULT_PROVIDER: ProviderName = "ollama";
export const DEFAULT_MODEL = "qwen2.5-coder:7b";

export function isKnownProvider(name: string): name is ProviderName {
  return (KNOWN_PROVIDERS as readonly string[]).includes(name);
}

/** `Unknown provider "antropic" (did you mean anthropic?): use one of anthropic, openai, ollama, openai-compatible.` */
export function unknownProviderError(name: string): UsageError {
  const guess = closest(name, KNOWN_PROVIDERS);
  return new UsageError(`Unknown provider "${name}"${guess ? ` (did you mean ${guess}?)` : ""}: use one of ${KNOWN_PROVIDERS.join(", ")}.`);
}

/** What a request needs besides the conversation. */
export interface ModelTarget {
  provider: string;
  model: string;
  /** Base URL for openai-compatible (from --base-url or VICTOR_BASE_URL). */
  baseUrl?: string;
}

/** Flags first, then VICTOR_PROVIDER / VICTOR_MODEL / VICTOR_BASE_URL, then ollama + qwen2.5-coder:7b. */
export function resolveModelTarget(flags: { provider?: string; model?: string; baseUrl?: string }, env: NodeJS.ProcessEnv = process.env): ModelTarget {
  const provider = flags.provider || env.VICTOR_PROVIDER || DEFAULT_PROVIDER;
  const model = flags.model || env.VICTOR_MODEL || DEFAULT_MODEL;
  const baseUrl = flags.baseUrl || env.VICTOR_BASE_URL || undefined;
  return { provider, model, ...(baseUrl ? { baseUrl } : {}) };
}

/** Where the provider sends requests (for messages); secrets never appear here. */
export function endpointOf(target: ModelTarget, env: NodeJS.ProcessEnv = process.env): string {
  switch (target.provider) {
    case "anthropic":
      return anthropicBaseUrl(env);
    case "openai":
      return stripSlash(env.OPENAI_BASE_URL || "https://api.openai.com/v1");
    case "ollama":
      return ollamaBaseUrl(env);
    default:
      return target.baseUrl ?? "(no base URL)";
  }
}

const stripSlash = (url: string): string => url.replace(/\/+$/, "");

/** ANTHROPIC_BASE_URL is accepted with or without the `/v1` the SDK expects. */
export function anthropicBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const base = stripSlash(env.ANTHROPIC_BASE_URL || "https://api.anthropic.com");
  return base.endsWith("/v1") ? base : `${base}/v1`;
}

/** Ollama's OpenAI-compatible endpoint; OLLAMA_HOST may omit the scheme, as Ollama itself allows. */
export function ollamaBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  let host = stripSlash(env.OLLAMA_HOST || "http://localhost:11434");
  if (!/^https?:\/\//.test(host)) host = `http://${host}`;
  return `${host}/v1`;
}

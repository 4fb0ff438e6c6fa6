import { VictorError } from "@victor/core";

/** A request to a model failed; the message is one line a user can act on. */
export class ProviderError extends VictorError {}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current && chain.length < 6) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

/** Turns whatever the SDK or fetch threw into one clear line naming the provider and endpoint. */
export function describeProviderError(error: unknown, provider: string, endpoint: string, midStream = false): string {
  const chain = causeChain(error);
  const status = chain.map((e) => (e as { statusCode?: unknown }).statusCode).find((s) => typeof s === "number");
  const first = chain[0] as { message?: string } | undefined;
  const message = (first?.message ?? String(error)).split("\n")[0];
  if (typeof status === "number" && status >= 400) {
    const kind = status === 401 || status === 403 ? "authentication failed" : status === 404 ? "not found (check the model name)" : status === 429 ? "rate limited" : status >= 500 ? "server error" : "request rejected";
    return `${provider} ${kind} (HTTP ${status}) at ${endpoint}: ${message}`;
  }
  if (midStream || typeof status === "number") return `The reply from ${provider} (${endpoint}) was cut off mid-stream: ${message}`;
  const code = chain.map((e) => (e as { code?: unknown }).code).find((c) => typeof c === "string");
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return `Cannot reach ${provider} at ${endpoint} (${code}). Is the server running? Use /switch to pick another provider.`;
  }
  if (/fetch failed|ECONNREFUSED|Cannot connect to API/i.test(message ?? "")) {
    return `Cannot reach ${provider} at ${endpoint}: ${message}. Is the server running? Use /switch to pick another provider.`;
  }
  return `${provider} request failed at ${endpoint}: ${message}`;
}

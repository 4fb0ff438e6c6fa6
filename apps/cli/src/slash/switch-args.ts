import { UsageError } from "../errors.js";
import { KNOWN_PROVIDERS, isKnownProvider, unknownProviderError } from "../providers/config.js";
import { closest } from "../suggest.js";

export interface SwitchRequest {
  /** The provider to use; undefined = keep the current (or resumed) one. */
  provider?: string;
  model?: string;
  /** Present when --resume was given: an id/prefix, or null for the most recent session. */
  resume?: string | null;
}

/**
 * `/switch` words → what to do. `provider:model` splits on the first colon only when the part before it
 * is a known provider, so `qwen2.5-coder:7b` alone is a model of the current provider.
 */
export function parseSwitchArgs(args: readonly string[]): SwitchRequest {
  const request: SwitchRequest = {};
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--resume") {
      const next = args[i + 1];
      request.resume = next !== undefined && !next.startsWith("--") ? next : null;
      if (request.resume !== null) i++;
    } else if (arg.startsWith("--resume=")) request.resume = arg.slice("--resume=".length) || null;
    else if (arg.startsWith("--")) throw new UsageError(`/switch: unknown option ${arg}. Usage: /switch [[provider:]model] [--resume [ID]]`);
    else words.push(arg);
  }
  if (words.length > 1) throw new UsageError(`/switch takes one [provider:]model, got ${words.length} words. Usage: /switch [[provider:]model] [--resume [ID]]`);
  const spec = words[0];
  if (spec !== undefined) {
    const colon = spec.indexOf(":");
    const prefix = colon > 0 ? spec.slice(0, colon) : "";
    if (colon > 0 && isKnownProvider(prefix)) {
      request.provider = prefix;
      if (colon + 1 < spec.length) request.model = spec.slice(colon + 1);
    } else if (isKnownProvider(spec)) request.provider = spec;
    else if (colon > 0 && closest(prefix, KNOWN_PROVIDERS) !== undefined) {
      // `antropic:claude-…` is a typo, not a model named so on the current provider.
      throw unknownProviderError(prefix);
    } else request.model = spec;
  }
  return request;
}

/**
 * The provider a bare model name runs on. Kept as the current one, except that a well-known cloud
 * model named while on the other cloud provider moves there (`/switch gpt-4` from Claude → openai,
 * as the guide's "Design with Claude, implement with GPT-4" workflow expects). Local and
 * OpenAI-compatible servers can serve any name, so they are never second-guessed.
 */
export function providerForModel(model: string, current: string): string {
  if (current === "anthropic" && /^(gpt-|o[1-9](-|$)|chatgpt-)/i.test(model)) return "openai";
  if (current === "openai" && /^claude-/i.test(model)) return "anthropic";
  return current;
}

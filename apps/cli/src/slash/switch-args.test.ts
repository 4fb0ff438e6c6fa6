import { describe, expect, it } from "vitest";
import { parseSwitchArgs, providerForModel } from "./switch-args.js";

describe("parseSwitchArgs", () => {
  it("splits a known provider prefix", () => expect(parseSwitchArgs(["ollama:qwen2.5-coder:7b"])).toEqual({ provider: "ollama", model: "qwen2.5-coder:7b" }));
  it("keeps a bare model with a colon on the current provider", () => expect(parseSwitchArgs(["qwen2.5-coder:7b"])).toEqual({ model: "qwen2.5-coder:7b" }));
  it("parses a model with --resume and no id", () => expect(parseSwitchArgs(["gpt-4", "--resume"])).toEqual({ model: "gpt-4", resume: null }));
  it("parses --resume ID", () => expect(parseSwitchArgs(["--resume", "20250107_15"])).toEqual({ resume: "20250107_15" }));
  it("parses --resume ID before the model", () => expect(parseSwitchArgs(["--resume", "abc", "openai:gpt-4"])).toEqual({ provider: "openai", model: "gpt-4", resume: "abc" }));
  it("splits anthropic:model", () =>
    expect(parseSwitchArgs(["anthropic:claude-sonnet-4-20250514"])).toEqual({ provider: "anthropic", model: "claude-sonnet-4-20250514" }));
  it("accepts a provider alone", () => expect(parseSwitchArgs(["openai-compatible"])).toEqual({ provider: "openai-compatible" }));
  it("no args means show", () => expect(parseSwitchArgs([])).toEqual({}));
  it("rejects unknown options and extra words", () => {
    expect(() => parseSwitchArgs(["--fast"])).toThrow(/unknown option --fast/);
    expect(() => parseSwitchArgs(["a", "b"])).toThrow(/one \[provider:\]model/);
  });
});

describe("providerForModel", () => {
  it("moves GPT models off Anthropic", () => expect(providerForModel("gpt-4", "anthropic")).toBe("openai"));
  it("moves Claude models off OpenAI", () => expect(providerForModel("claude-sonnet-4-20250514", "openai")).toBe("anthropic"));
  it("never second-guesses local servers", () => {
    expect(providerForModel("gpt-4", "ollama")).toBe("ollama");
    expect(providerForModel("claude-x", "openai-compatible")).toBe("openai-compatible");
  });
});

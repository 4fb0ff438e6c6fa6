import { KEYS } from "@victor/test-utils";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chatRig, lastConversation, type ChatRig } from "../chat/harness.js";

let rig: ChatRig;
beforeEach(async () => (rig = await chatRig()));
afterEach(() => rig.cleanup());

const SIZE = { cols: 80, rows: 24 };
const PROMPT = /victor> $/m;

describe("typing at the chat prompt (real terminal)", () => {
  it("a multi-line paste is one message; Alt-Enter and a trailing \\ type line breaks", async () => {
    const term = rig.pty(["chat"], SIZE);
    await term.waitFor(PROMPT);
    term.paste("Error: boom\n    at main (app.js:1:1)\n\tat run (app.js:9:2)");
    await term.waitFor(/at run/);
    term.write(` explain${KEYS.enter}`);
    await term.waitFor(/Reply 1 from anthropic/);
    term.write(`first${KEYS.altEnter}second${KEYS.enter}`);
    await term.waitFor(/Reply 2 from anthropic/);
    term.write(`third \\${KEYS.enter}`);
    await term.waitFor(/… $/m);
    term.write(`fourth${KEYS.enter}`);
    await term.waitFor(/Reply 3 from anthropic/);
    const sent = rig.anthropic.requests.map((r) => lastUser(r.body.messages));
    expect(sent).toEqual(["Error: boom\n    at main (app.js:1:1)\n\tat run (app.js:9:2) explain", "first\nsecond", "third \nfourth"]);
    term.write(`/exit${KEYS.enter}`);
    await term.waitFor(/\[d\] discard/);
    term.write(`d${KEYS.enter}`);
    expect((await term.exited).exitCode).toBe(0);
  });

  it("keys typed while a reply streams wait for the prompt: the reply is not garbled, nothing typed is lost", async () => {
    rig.anthropic.script({ text: "The quick brown fox jumps over the lazy dog.", chunkDelayMs: 300, parts: 4 });
    const term = rig.pty(["chat"], SIZE);
    await term.waitFor(PROMPT);
    term.write(`tell me${KEYS.enter}`);
    await term.waitFor(/The quick/);
    term.write("typed ahead");
    await term.waitFor(/lazy dog\.\nvictor> typed ahead/);
    expect(term.screen().join("\n")).not.toMatch(/The quick.*typed ahead.*lazy/s);
    term.write(KEYS.enter);
    await term.waitFor(/Reply 2 from anthropic/);
    expect(lastConversation(rig.anthropic).at(-1)).toEqual(["user", "typed ahead"]);
    term.kill("SIGTERM");
    await term.exited;
  });

  it("Tab completes slash commands, their flags and session ids", async () => {
    const first = rig.pty(["chat"], SIZE);
    await first.waitFor(PROMPT);
    first.write(`hello${KEYS.enter}`);
    await first.waitFor(/Reply 1/);
    first.write(`/sav${KEYS.tab}`);
    await first.waitFor(/victor> \/save $/m);
    first.write(`--n${KEYS.tab}`);
    await first.waitFor(/victor> \/save --new $/m);
    first.write(KEYS.enter);
    await first.waitFor(/Action:\s+created/);
    const id = /ID:\s+(\d{8}_\d{6})/.exec(first.screen().join("\n"))![1]!;
    first.write(`/resume ${id.slice(0, 6)}${KEYS.tab}`);
    await first.waitFor(new RegExp(`victor> /resume ${id} $`, "m"));
    first.write(`${KEYS.enter}`);
    await first.waitFor(/Session Resumed/);
    first.write(`/exit${KEYS.enter}`);
    expect((await first.exited).exitCode).toBe(0);
  });

  it("input history is kept per project in a private file: ↑ recalls the last chat's input", async () => {
    const first = rig.pty(["chat"], SIZE);
    await first.waitFor(PROMPT);
    first.write(`/status${KEYS.enter}`);
    await first.waitFor(/Unsaved:/);
    first.write(KEYS.ctrlD);
    expect((await first.exited).exitCode).toBe(0);
    const file = join(rig.cwd, ".victor", "input-history");
    expect(readFileSync(file, "utf8")).toBe("/status\n");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = rig.pty(["chat"], SIZE);
    await second.waitFor(PROMPT);
    second.write(KEYS.up);
    await second.waitFor(/victor> \/status$/m);
    // Ctrl-C empties the line; Ctrl-D on an empty line leaves.
    second.write(KEYS.ctrlC);
    await second.waitFor(/victor> $/m);
    second.write(KEYS.ctrlD);
    expect((await second.exited).exitCode).toBe(0);
  });
});

function lastUser(messages: { role: string; content: unknown }[] | undefined): string {
  const last = (messages ?? []).filter((m) => m.role === "user").at(-1);
  if (!last) return "";
  return typeof last.content === "string" ? last.content : (last.content as { text?: string }[]).map((p) => p.text ?? "").join("");
}

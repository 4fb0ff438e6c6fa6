import { openSessionStore } from "@victor/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chatRig, lastConversation, savedId, type ChatRig } from "./harness.js";

let rig: ChatRig;
beforeEach(async () => (rig = await chatRig()));
afterEach(() => rig.cleanup());

describe("victor chat workflows (built bin, real HTTP)", () => {
  it("chat + /save \"Design phase\", then a new process /resume <prefix> sends the full history (built binary)", async () => {
    const first = await rig.chatBin(["Design the auth module", '/save "Design phase"']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Reply 1 from anthropic");
    expect(first.stdout).toMatch(/Session Saved[\s\S]*Action:\s+created[\s\S]*Title:\s+Design phase/);
    expect(first.stderr).not.toMatch(/unsaved/);
    const id = savedId(first.stdout);

    const second = await rig.chatBin([`/resume ${id.slice(0, 11)}`, "Now the tests"]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Session Resumed");
    expect(lastConversation(rig.anthropic)).toEqual([
      ["user", "Design the auth module"],
      ["assistant", "Reply 1 from anthropic"],
      ["user", "Now the tests"],
    ]);
    expect(rig.anthropic.requests.at(-1)!.body.model).toBe("claude-sonnet-4-20250514");
    expect(second.stderr).toMatch(/Warning: leaving with unsaved messages[\s\S]*\/save/);
  });

  it("victor chat --resume ID with --provider/--model: the flags win over the saved model, history sent in full", async () => {
    const id = savedId((await rig.chat(["Design it", '/save "Design phase"'])).stdout);
    const run = await rig.chat(["Continue elsewhere"], ["--resume", id.slice(0, 10), "--provider", "openai-compatible", "--base-url", `${rig.openai.url}/v1`, "--model", "local-coder"]);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.stdout).toMatch(/Model:\s+openai-compatible:local-coder \(saved with anthropic:claude-sonnet-4-20250514\)/);
    expect(rig.openai.requests.at(-1)!.body.model).toBe("local-coder");
    expect(lastConversation(rig.openai)).toEqual([
      ["user", "Design it"],
      ["assistant", "Reply 1 from anthropic"],
      ["user", "Continue elsewhere"],
    ]);
  });

  it("the guide's model switching: /switch gpt-4 --resume and /switch openai:gpt-4 --resume go to OpenAI with the same history", async () => {
    await rig.chat(["Design it", '/save "Design phase"']);
    const run = await rig.chat(["/switch gpt-4 --resume", "Implement it", '/save "Implementation phase"', "/switch openai:gpt-4o --resume", "Again"]);
    expect(run.stderr).not.toMatch(/Error/);
    expect(rig.openai.requests).toHaveLength(2);
    expect(rig.openai.requests[0]!.body.model).toBe("gpt-4");
    expect(rig.openai.requests[1]!.body.model).toBe("gpt-4o");
    expect(lastConversation(rig.openai)).toEqual([
      ["user", "Design it"],
      ["assistant", "Reply 1 from anthropic"],
      ["user", "Implement it"],
      ["assistant", "Reply 1 from openai"],
      ["user", "Again"],
    ]);
    const third = await rig.chat(["/switch ollama:qwen2.5-coder:7b --resume", "/status"]);
    expect(third.stdout).toMatch(/Provider:\s+ollama[\s\S]*Model:\s+qwen2\.5-coder:7b[\s\S]*Messages:\s+4/);
  });

  it("the guide's compact workflow: /resume ID, /compact --smart, /save \"Refactored - Compact version\"", async () => {
    const lines = ["one", "two", "three", "four", "five", '/save "Long session"'];
    const id = savedId((await rig.chat(lines)).stdout);
    rig.anthropic.script({ text: "SUMMARY: five questions were asked." });
    const run = await rig.chat([`/resume ${id}`, "/compact --smart", '/save "Refactored - Compact version"']);
    expect(run.stderr).toBe("");
    const summaryRequest = rig.anthropic.requests.at(-1)!.body;
    expect(JSON.stringify(summaryRequest.messages)).toContain("Summarise the conversation above");
    expect(JSON.stringify(summaryRequest.messages)).toContain("one");
    expect(run.stdout).toMatch(/Action:\s+updated[\s\S]*ID:\s+\S+/);
    expect(savedId(run.stdout)).toBe(id);
    const store = await openSessionStore({ dbPath: rig.project.join("work", ".victor", "project.db") });
    const session = await store.getSession(id);
    await store.close();
    expect(session.metadata.title).toBe("Refactored - Compact version");
    expect(session.conversation.messages).toHaveLength(7);
    expect(session.conversation.messages[0]!.content).toBe("[Previous conversation summary]\nSUMMARY: five questions were asked.");
    expect(session.conversation.messages.at(-1)!.content).toBe("Reply 5 from anthropic");
  });

  it("a conflicting save from another process offers /save --new or /save --force", async () => {
    const id = savedId((await rig.chat(["hello", "/save"])).stdout);
    const a = rig.interactive([`--resume`, id]);
    await a.waitFor(/Session Resumed/);
    await rig.chat([`/resume ${id}`, "from B", "/save"]);
    a.send("from A");
    await a.waitFor(/from A\nReply \d+ from anthropic/);
    a.send("/save");
    await a.waitFor(/\/save --force/);
    expect(a.output).toMatch(/Not saved: .*saved by another process.*\(\/save --new\) or .*\(\/save --force\)/);
    a.send("/save --force");
    await a.waitFor(/Action:\s+updated/);
    const result = await a.end();
    expect(result.code).toBe(0);
    const store = await openSessionStore({ dbPath: rig.project.join("work", ".victor", "project.db") });
    expect((await store.getSession(id)).conversation.messages.map((m) => m.content)).toContain("from A");
    await store.close();
  });

  it("Ctrl-C (SIGINT) stops a streaming reply: the partial reply is not kept, /retry asks again", async () => {
    rig.anthropic.script({ text: "Once upon a time there was a very long story", hangAfterChunks: 1 }, { text: "The end." });
    const chat = rig.interactive();
    chat.send("Tell me a story");
    await chat.waitFor(/Once upon/);
    chat.interrupt();
    await chat.waitFor(/Reply stopped/);
    chat.send("/status");
    await chat.waitFor(/Messages:\s+0\b/);
    chat.send("/retry");
    await chat.waitFor(/The end\./);
    chat.send('/save "Story"');
    await chat.waitFor(/Action:\s+created/);
    const result = await chat.end();
    expect(result.code).toBe(1);
    const store = await openSessionStore({ dbPath: rig.project.join("work", ".victor", "project.db") });
    const [saved] = await store.listSessions();
    expect((await store.getSession(saved!.id)).conversation.messages.map((m) => [m.role, m.content])).toEqual([
      ["user", "Tell me a story"],
      ["assistant", "The end."],
    ]);
    await store.close();
  });
});

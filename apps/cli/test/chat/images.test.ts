import { openSessionStore } from "@victor/core";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../in-process.js";
import { chatRig, type ChatRig } from "./harness.js";

let rig: ChatRig;
beforeEach(async () => (rig = await chatRig()));
afterEach(() => rig.cleanup());

// A real 1×1 PNG.
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

describe("images of a resumed session reach the model", () => {
  it("OpenAI: the Python Victor's `images` go as image_url parts on every turn; a local path is not sent, said once", async () => {
    const store = await openSessionStore({ dbPath: rig.dbPath });
    const messages = [
      { role: "user", content: "What does this error say?", name: null, tool_calls: null, tool_call_id: null, images: [`data:image/png;base64,${PNG}`, "/home/dev/Desktop/error.png"] },
      { role: "assistant", content: "It says the port is in use.", name: null, tool_calls: null, tool_call_id: null, images: null },
    ];
    const { sessionId } = await store.saveSession({ conversation: { messages }, model: "gpt-4o", provider: "openai" });
    await store.close();

    const run = await rig.chat(["which port?", "and now?"], ["--resume", sessionId]);
    expect(run.code, run.stderr).toBe(0);
    expect(rig.openai.requests).toHaveLength(2);
    for (const request of rig.openai.requests) {
      expect(request.body.messages!.find((m) => m.role === "user")).toEqual({
        role: "user",
        content: [
          { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
          { type: "text", text: "What does this error say?" },
        ],
      });
    }
    const notes = run.stderr.split("\n").filter((line) => line.includes("not sent to the model"));
    expect(notes).toEqual(["1 image of this conversation not sent to the model (1 local file path); it stays saved with the session."]);
  });

  it("openai-compatible: a web link in the history is not sent (a dead or private one would fail every reply); the reply goes, the note says so", async () => {
    const store = await openSessionStore({ dbPath: rig.dbPath });
    const content = [
      { type: "text", text: "What is on this screen?" },
      { type: "image_url", image_url: { url: "http://127.0.0.1:9/screen.png" } },
    ];
    const messages = [{ role: "user", content, name: null, tool_calls: null, tool_call_id: null }];
    const { sessionId } = await store.saveSession({ conversation: { messages }, model: "local-coder", provider: "openai-compatible" });
    await store.close();

    const run = await rig.chat(["/exit"], ["and now?", "--resume", sessionId, "--base-url", `${rig.openai.url}/v1`]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("1 image of this conversation not sent to the model (1 web link); it stays saved with the session.");
    const sent = rig.openai.requests.at(-1)!.body as { messages: { role: string; content: unknown }[] };
    expect(sent.messages.map((m) => m.content)).toEqual(["What is on this screen?", "and now?"]);
  });

  it("Anthropic: a pasted image of an imported Claude Code session goes as an image block", async () => {
    const sessionId = "a1b2c3d4-0000-4000-8000-00000000beef";
    const dir = join(rig.home, ".claude", "projects", rig.cwd.replace(/[^A-Za-z0-9]/g, "-"));
    mkdirSync(dir, { recursive: true });
    const base = { isSidechain: false, userType: "external", cwd: rig.cwd, sessionId, version: "2.1.20", gitBranch: "main" };
    const image = { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } };
    const lines = [
      { ...base, parentUuid: null, type: "user", uuid: "u1", timestamp: "2026-01-10T09:00:00.000Z", message: { role: "user", content: [{ type: "text", text: "Why does the upload fail? Screenshot attached." }, image] } },
      { ...base, parentUuid: "u1", type: "assistant", uuid: "a1", timestamp: "2026-01-10T09:00:05.000Z", message: { id: "msg_1", role: "assistant", model: "claude-sonnet-4-5", content: [{ type: "text", text: "The file is too large." }] } },
    ];
    writeFileSync(join(dir, `${sessionId}.jsonl`), lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    const imported = await runCli(["import", "claude"], { cwd: rig.cwd, env: rig.env });
    expect(imported.code, imported.stderr).toBe(0);

    const run = await rig.chat([], ["how big may it be?", "--resume", `claude-${sessionId}`]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain("not sent to the model");
    const sent = rig.anthropic.requests.at(-1)!.body.messages!;
    expect(sent[0]).toEqual({
      role: "user",
      content: [
        { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
        { type: "text", text: "Why does the upload fail? Screenshot attached." },
      ],
    });
    expect(sent.slice(1).map((m) => m.content)).toEqual([[{ type: "text", text: "The file is too large." }], [{ type: "text", text: "how big may it be?" }]]);
  });
});

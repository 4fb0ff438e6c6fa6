import { InvalidSessionIdError, type Session } from "@victor/core";
import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../errors.js";
import { colorsFor, Output } from "@victor/terminal";
import { parseCount } from "../../parse-count.js";
import { formatBytes } from "../../ui/format.js";
import { renderMarkdown, transcriptOf } from "../../ui/markdown.js";
import { contentText, renderConversation, summarizeToolCalls } from "../../ui/transcript.js";
import { clearSelector } from "./clear.js";
import { exportChunks, writeChunks } from "./export.js";
import { formatImportReport, summarizeImport } from "./import.js";
import { listLimit } from "./list.js";
import { titleFrom } from "./rename.js";
import { searchQuery } from "./search.js";
import { checkId, confirmDestructive } from "./shared.js";

function envelope(id: string, messages: Session["conversation"]["messages"] = [{ role: "user", content: "hi" }]): Session {
  return {
    metadata: {
      session_id: id,
      created_at: "2025-01-07T14:30:45.123Z",
      updated_at: "2025-01-07T14:30:45.123Z",
      model: "m",
      provider: "p",
      profile: "default",
      message_count: messages.length,
      title: `Title ${id}`,
      tags: [],
      title_is_custom: true,
      revision: 1,
      parent_id: null,
      fork_point: null,
    },
    conversation: { messages },
    conversation_state: null,
    tool_selection_stats: null,
  };
}

const plain = colorsFor({ isTTY: false }, {});

describe("argument validation", () => {
  it("parseCount accepts positive whole numbers only, from yargs or typed in a chat", () => {
    expect(parseCount(5, "--limit")).toBe(5);
    expect(parseCount("12", "/sessions N")).toBe(12);
    for (const bad of [0, -1, 1.5, Number.NaN, "x", "1e3", ""]) expect(() => parseCount(bad, "--limit")).toThrow(UsageError);
    expect(() => parseCount(Number.NaN, "--at")).toThrow("--at must be a whole number of at least 1 (got a word).");
    expect(() => parseCount("abc", "/sessions N")).toThrow('/sessions N must be a whole number of at least 1 (got "abc").');
  });

  it("listLimit: default 10, --all is -1, both is a usage error", () => {
    expect(listLimit({})).toBe(10);
    expect(listLimit({ limit: 3 })).toBe(3);
    expect(listLimit({ all: true })).toBe(-1);
    expect(() => listLimit({ all: true, limit: 2 })).toThrow(/either --limit N or --all/);
  });

  it("clearSelector needs exactly one of PREFIX (≥ 6 chars, valid) or --all", () => {
    expect(clearSelector({ prefix: "202501" })).toEqual({ prefix: "202501" });
    expect(clearSelector({ all: true })).toEqual({ all: true });
    expect(() => clearSelector({})).toThrow(UsageError);
    expect(() => clearSelector({ prefix: "" })).toThrow(UsageError);
    expect(() => clearSelector({ prefix: "20250" })).toThrow(/at least 6/);
    expect(() => clearSelector({ prefix: "202501", all: true })).toThrow(/not both/);
    expect(() => clearSelector({ prefix: "../../etc" })).toThrow(InvalidSessionIdError);
  });

  it("checkId rejects malformed ids with exit code 2", () => {
    expect(checkId("20250107_15")).toBe("20250107_15");
    try {
      checkId("a b");
      expect.unreachable();
    } catch (error) {
      expect((error as InvalidSessionIdError).exitCode).toBe(2);
    }
  });

  it("search and rename join their words and refuse empty input", () => {
    expect(searchQuery(["CI/CD", "pipeline"])).toBe("CI/CD pipeline");
    expect(() => searchQuery(["  "])).toThrow(UsageError);
    expect(titleFrom(["New ", "  title"])).toBe("New title");
    expect(() => titleFrom([])).toThrow(UsageError);
  });
});

describe("confirmDestructive", () => {
  it("--yes skips the question; no TTY is a usage error naming --yes", async () => {
    const input = Object.assign(new PassThrough(), { isTTY: false });
    expect(await confirmDestructive("Delete?", { yes: true, action: "delete" }, { input, output: new PassThrough() })).toBe(true);
    await expect(confirmDestructive("Delete?", { action: "delete x" }, { input, output: new PassThrough() })).rejects.toThrow(/Pass --yes/);
  });

  it.each([
    ["y\n", true],
    ["YES\n", true],
    ["n\n", false],
    ["\n", false],
    ["", false],
  ])("on a TTY, answer %j → %s", async (answer, expected) => {
    const input = Object.assign(new PassThrough(), { isTTY: true });
    const output = new PassThrough();
    let prompt = "";
    output.on("data", (d: Buffer) => (prompt += d.toString()));
    const result = confirmDestructive("Delete session X?", { action: "delete" }, { input, output });
    input.end(answer);
    expect(await result).toBe(expected);
    expect(prompt).toContain("Delete session X? [y/N]");
  });
});

describe("export format", () => {
  const sessions = [envelope("a1"), envelope("b2", [{ role: "user", content: "naïve 日本語 🚀" }])];
  const join = async (chunks: AsyncIterable<string>): Promise<string> => {
    let text = "";
    for await (const chunk of chunks) text += chunk;
    return text;
  };

  it("pretty JSON is exactly JSON.stringify(array, null, 2); compact is one line; empty is []", async () => {
    expect(await join(exportChunks(sessions, { format: "json", pretty: true }))).toBe(`${JSON.stringify(sessions, null, 2)}\n`);
    expect(await join(exportChunks(sessions, { format: "json", pretty: false }))).toBe(`${JSON.stringify(sessions)}\n`);
    expect(await join(exportChunks([], { format: "json", pretty: true }))).toBe("[]\n");
    expect(await join(exportChunks([], { format: "json", pretty: false }))).toBe("[]\n");
  });

  it("streams lazily: one session is read per chunk", async () => {
    let pulled = 0;
    function* source() {
      for (const s of sessions) {
        pulled++;
        yield s;
      }
    }
    const chunks = exportChunks(source(), { format: "json", pretty: true });
    await chunks.next();
    expect(pulled).toBe(1);
  });

  it("writeChunks waits for drain when the sink is full", async () => {
    const written: string[] = [];
    let drains = 0;
    const sink = new Writable({
      highWaterMark: 4,
      write(chunk: Buffer, _enc, cb) {
        written.push(chunk.toString());
        setImmediate(cb);
      },
    });
    sink.on("drain", () => drains++);
    await writeChunks(["aaaaaaaa", "bbbbbbbb", "cccccccc"], new Output(sink));
    await new Promise<void>((r) => sink.end(r));
    expect(written.join("")).toBe("aaaaaaaabbbbbbbbcccccccc");
    expect(drains).toBeGreaterThan(0);
  });

  it("markdown: title, metadata, role sections, fenced tool output that cannot break out", async () => {
    const md = renderMarkdown(transcriptOf(
      envelope("x1", [
        { role: "user", content: "Fix it" },
        { role: "assistant", content: "Reading", tool_calls: [{ id: "c", name: "read", arguments: { path: "a.ts" } }] },
        { role: "tool", name: "read", tool_call_id: "c", content: "has ``` fences" },
      ]),
    ));
    expect(md).toMatch(/^# Title x1\n/);
    expect(md).toContain("- **Session:** `x1`");
    expect(md).toContain("## User\n\nFix it");
    expect(md).toContain('**Tool call:** `read`\n\n```json\n{"path":"a.ts"}\n```');
    expect(md).toContain("## Tool (read)\n\n````\nhas ``` fences\n````");
    const both = await join(exportChunks([envelope("a1"), envelope("b2")], { format: "markdown", pretty: true }));
    expect(both.match(/^# /gm)).toHaveLength(2);
    expect(both).toContain("\n---\n");
  });
});

describe("import report", () => {
  it("counts and describes the outcome", () => {
    const report = summarizeImport([
      { requestedId: "a", sessionId: "a", status: "created" },
      { requestedId: "b", sessionId: "b_2", status: "renamed" },
      { requestedId: "c", sessionId: "c", status: "overwritten" },
      { requestedId: "d", sessionId: null, status: "skipped-conflict" },
    ]);
    expect(report).toMatchObject({ imported: 3, renamed: 1, overwritten: 1, skipped: 1 });
    expect(formatImportReport(report)).toBe(
      "Imported 3 sessions (1 renamed to new ids, 1 overwritten); skipped 1 that already exist (--on-conflict rename or overwrite to import them).",
    );
    expect(formatImportReport(summarizeImport([{ requestedId: "a", sessionId: "a", status: "created" }]))).toBe("Imported 1 session.");
    const duplicated = summarizeImport([
      { requestedId: "a", sessionId: "a", status: "created" },
      { requestedId: "a", sessionId: null, status: "superseded", existing: { sessionId: "a", reason: "newer-copy" } },
    ]);
    expect(duplicated).toMatchObject({ imported: 1, superseded: 1 });
    expect(formatImportReport(duplicated)).toBe("Imported 1 session; skipped 1 older copy of a session the file holds a newer copy of.");
  });
});

describe("transcript rendering", () => {
  it("contentText handles strings, content parts, images and other values", () => {
    expect(contentText("hello")).toBe("hello");
    expect(contentText(null)).toBe("");
    expect(contentText([{ type: "text", text: "a" }, { type: "image_url", image_url: {} }, "b"])).toBe("a\n[image]\nb");
    expect(contentText({ k: 1 })).toBe('{\n  "k": 1\n}');
  });

  it("summarizeToolCalls reads both stored styles", () => {
    expect(summarizeToolCalls([{ id: "1", type: "function", function: { name: "read", arguments: '{ "path": "a" }' } }])).toEqual([
      { id: "1", name: "read", args: '{"path":"a"}' },
    ]);
    expect(summarizeToolCalls([{ id: "2", name: "grep", arguments: { q: "x" } }])).toEqual([{ id: "2", name: "grep", args: '{"q":"x"}' }]);
    expect(summarizeToolCalls(null)).toEqual([]);
  });

  it("renderConversation shows every message in full with role headers", () => {
    const long = "word ".repeat(2000).trim();
    const out = renderConversation(
      plain,
      envelope("z", [
        { role: "user", content: long },
        { role: "assistant", content: "", tool_calls: [{ id: "1", name: "run", arguments: { cmd: "ls" } }] },
        { role: "user", content: "see", images: ["data:image/png;base64,AA"] },
      ]),
    );
    expect(out).toContain("#1 user");
    expect(out).toContain(long);
    expect(out).toContain('→ tool call run({"cmd":"ls"})');
    expect(out).toContain("[1 image attached]");
    expect(out).not.toMatch(/\x1b\[/);
    expect(renderConversation(plain, envelope("e", []))).toBe("(no messages)");
  });

  it("formatBytes", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(5 * 1024 * 1024)).toBe("5.0 MB");
  });
});

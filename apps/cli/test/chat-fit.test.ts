import { SYNC_STATUSES, type SyncReport } from "@victor/core";
import { colorsFor, displayWidth } from "@victor/terminal";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { Terminal } from "../src/io.js";
import type { ChatInput } from "../src/repl/input/chat-input.js";
import { chatPrompts } from "../src/repl/prompts.js";
import { compactCommand } from "../src/slash/commands/compact.js";
import { rewindCommand } from "../src/slash/commands/rewind.js";
import { fakeContext, msg } from "../src/slash/test-helpers/fake-context.js";
import { renderSyncReport } from "../src/ui/sync-report.js";

const lines = (text: string): string[] => text.split("\n");

describe("the chat's new commands and questions fit a 40-column terminal", () => {
  it("/rewind, /compact and /compact --undo wrap what they say", async () => {
    const ctx = fakeContext({ width: 40 });
    for (const text of ["q1", "a1", "q2", "a2", "q3", "a3", "q4", "a4"]) ctx.state.append(msg(text.startsWith("q") ? "user" : "assistant", text));
    const store = await ctx.store();
    const { sessionId } = await store.saveSession({ conversation: ctx.state.conversation, model: "m", provider: "p" });
    ctx.state.markSaved(sessionId);
    await rewindCommand.run(ctx, []);
    await compactCommand.run(ctx, ["--keep", "2"]);
    await compactCommand.run(ctx, ["--undo"]);
    expect(ctx.text).toContain("Rewound 1 exchange");
    for (const line of lines(ctx.text)) expect(displayWidth(line), line).toBeLessThanOrEqual(40);
    await ctx.cleanup();
  });

  it("the unsaved-work question (before /fork, /resume, leaving) wraps to the terminal", async () => {
    const stdout = Object.assign(new Writable({ write: (chunk, _e, done) => ((stdout.text += String(chunk)), done()) }), { text: "", isTTY: true, columns: 40 });
    const terminal = new Terminal({ stdin: process.stdin, stdout, stderr: stdout, env: { NO_COLOR: "1" }, cwd: "/" });
    const input = { interactive: true, answer: async () => "c" } as unknown as ChatInput;
    const prompts = chatPrompts(input, terminal, async () => null);
    const answer = await prompts.choose("10 messages in this conversation are not saved. Before forking 20261126_034317:", [{ key: "c", label: "cancel", value: "cancel" }]);
    expect(answer).toBe("cancel");
    expect(stdout.text).toContain("Before forking");
    for (const line of lines(stdout.text)) expect(displayWidth(line), line).toBeLessThanOrEqual(40);
  });
});

describe("a push/pull report at 40 columns", () => {
  it("wraps its lists of forks and failures under each item; a pipe keeps one line each", () => {
    const report: SyncReport = {
      direction: "push",
      from: "/home/someone/project/.victor/project.db",
      to: "postgres://victor@db.example.com:5432/sessions",
      sessions: [
        { id: "20250107_153045", targetId: "20250107_153045_2", status: "forked", messagesSent: 4, forkOf: "20250107_153045", reason: "changed-there" },
        { id: "claude-5e551011-0000-4000-8000-000000000001", targetId: null, status: "failed", messagesSent: 0, reason: "the server refused the row: value too long for type character varying(128)" },
      ],
      counts: { ...Object.fromEntries(SYNC_STATUSES.map((s) => [s, 0])), forked: 1, failed: 1 } as SyncReport["counts"],
      sessionsSent: 1,
      messagesSent: 4,
      durationMs: 10,
    };
    const c = colorsFor({ isTTY: false }, {});
    const shown = renderSyncReport(report, c, 40, "my-project");
    for (const line of lines(shown)) expect(displayWidth(line), line).toBeLessThanOrEqual(40);
    expect(shown.replace(/\s+/g, "")).toContain("20250107_153045→20250107_153045_2(aforkof20250107_153045there:itchangedtheretoo)");
    const piped = renderSyncReport(report, c, undefined, "my-project");
    expect(piped).toContain("  20250107_153045 → 20250107_153045_2 (a fork of 20250107_153045 there: it changed there too)\n");
  });
});

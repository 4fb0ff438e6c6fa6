import { PassThrough } from "node:stream";
import pc from "picocolors";
import { describe, expect, it } from "vitest";
import { createProgress } from "../src/cli/render.js";

/** The lines a piped (non-TTY) progress display writes for these events. */
function piped(label: string | undefined, events: Parameters<ReturnType<typeof createProgress>["onProgress"]>[0][]): string[] {
  const stream = new PassThrough();
  const progress = createProgress(stream, pc.createColors(false), label);
  for (const event of events) progress.onProgress(event);
  progress.stop();
  return String(stream.read() ?? "").trimEnd().split("\n");
}

describe("createProgress, piped: one display for victor-migrate and victor import", () => {
  it("victor-migrate names the Python Victor's sessions and counts sources", () => {
    const lines = piped(undefined, [
      { kind: "start", total: 5, pythonSessions: 2, sources: ["/a"], dryRun: false },
      { kind: "backup", path: "/db.backup" },
      ...[1, 2, 3, 4, 5].map((done) => ({ kind: "file" as const, done, total: 5 })),
      { kind: "done" },
    ]);
    expect(lines[0]).toBe("victor-migrate: 3 files in 1 folder(s) and 2 session(s) in the Python Victor's database(s)");
    expect(lines[1]).toBe("victor-migrate: backed up the database to /db.backup");
    expect(lines.at(-1)).toBe("victor-migrate: 5/5 sources");
  });

  it("another program's name leads every line; without Python sessions the unit is files", () => {
    const lines = piped("victor import", [
      { kind: "start", total: 2, sources: ["/claude", "/codex"], dryRun: true },
      { kind: "file", done: 1, total: 2 },
      { kind: "file", done: 2, total: 2 },
    ]);
    expect(lines).toEqual(["victor import: 2 files in 2 folder(s) (dry run)", "victor import: 1/2 files", "victor import: 2/2 files"]);
  });
});

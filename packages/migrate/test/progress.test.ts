import { colorsFor, displayWidth } from "@victor/terminal";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createProgress } from "../src/cli/render.js";

/** The lines a piped (non-TTY) progress display writes for these events. */
function piped(label: string, events: Parameters<ReturnType<typeof createProgress>["onProgress"]>[0][]): string[] {
  const stream = new PassThrough();
  const progress = createProgress(stream, colorsFor({ isTTY: false }, {}), label);
  for (const event of events) progress.onProgress(event);
  progress.stop();
  return String(stream.read() ?? "").trimEnd().split("\n");
}

describe("createProgress, piped: one display for victor-migrate and victor import", () => {
  it("victor-migrate names the Python Victor's sessions and counts sources", () => {
    const lines = piped("victor-migrate", [
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

  it("a path from the files read is shown, never obeyed by the terminal", () => {
    const lines = piped("victor import", [{ kind: "backup", path: "/tmp/\u001b]0;owned\u0007.backup" }]);
    expect(lines).toEqual(["victor import: backed up the database to /tmp/␛]0;owned␇.backup"]);
  });
});

describe("createProgress, on a terminal", () => {
  /** The lines the bar draws on a terminal of `columns` for a run of `total` files (its last one at stop), escapes removed. */
  function drawn(columns: number, total: number): string[] {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns });
    const progress = createProgress(stream, colorsFor({ isTTY: true }, {}), "victor import");
    progress.onProgress({ kind: "start", total, sources: ["/a"], dryRun: false });
    for (let done = 1; done <= total; done++) progress.onProgress({ kind: "file", done, total });
    progress.stop();
    // Each redraw starts at column 1 (CSI 1 G); the other escapes move nothing sideways.
    return String(stream.read() ?? "")
      .split(/\u001b\[1G|[\r\n]/)
      .map((line) => line.replace(/\u001b(\[[0-9;?]*[A-Za-z]|[78])/g, ""))
      .filter((line) => line.trim() !== "");
  }

  it.each([40, 60, 200])("the bar line fits %i columns, the count included", (columns) => {
    const lines = drawn(columns, 1234);
    expect(lines.at(-1)).toContain("1234/1234");
    for (const line of lines) expect(displayWidth(line)).toBeLessThan(columns);
  });
});

describe("createProgress, a backup made while the bar is drawn", () => {
  it("is said once the bar is gone, never on the bar's line (which the stop clears)", () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 60 });
    const progress = createProgress(stream, colorsFor({ isTTY: true }, {}), "victor-migrate");
    progress.onProgress({ kind: "start", total: 3, sources: ["/a"], dryRun: false });
    progress.onProgress({ kind: "backup", path: "/db.backup-1" });
    progress.onProgress({ kind: "file", done: 3, total: 3 });
    const beforeStop = String(stream.read() ?? "");
    expect(beforeStop).not.toContain("Backed up");
    progress.stop();
    const written = String(stream.read() ?? "");
    // The stop restores the cursor to the bar's line and clears it: the message comes after that.
    expect(written.slice(written.lastIndexOf("\u001b[2K"))).toContain("Backed up the database to /db.backup-1\n");
  });

  it("is not repeated when the report that follows names the backup", () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 60 });
    const progress = createProgress(stream, colorsFor({ isTTY: true }, {}), "victor-migrate");
    progress.onProgress({ kind: "start", total: 3, sources: ["/a"], dryRun: false });
    progress.onProgress({ kind: "backup", path: "/db.backup-1" });
    progress.stop({ reportFollows: true });
    expect(String(stream.read() ?? "")).not.toContain("Backed up");
  });
});

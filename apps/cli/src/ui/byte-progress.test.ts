import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { Terminal } from "../io.js";
import { byteProgress } from "./byte-progress.js";

function stream(tty: boolean): Writable & { text: string; isTTY?: boolean; columns?: number } {
  const sink = Object.assign(new Writable({ write: (chunk, _e, done) => ((sink.text += String(chunk)), done()) }), { text: "" });
  return tty ? Object.assign(sink, { isTTY: true, columns: 30 }) : sink;
}

function terminal(stderrIsTty: boolean): { t: Terminal; err: ReturnType<typeof stream> } {
  const err = stream(stderrIsTty);
  const t = new Terminal({ stdin: process.stdin, stdout: stream(false), stderr: err, env: {}, cwd: "/" });
  return { t, err };
}

describe("byteProgress", () => {
  it("draws one line in place on a terminal, fitted to its width, and removes it", async () => {
    const { t, err } = terminal(true);
    const progress = byteProgress(t, "a-rather-long-export-name.json")!;
    progress.update("Importing", 512 * 1024 * 1024, 1024 * 1024 * 1024);
    progress.update("Importing", 1024 * 1024 * 1024, 1024 * 1024 * 1024); // the last update is always drawn
    progress.clear();
    await t.err.flush();
    const lines = err.text.split("\r").filter((l) => l !== "");
    expect(lines[0]).toBe("Importing a-rather-long-expo…\x1b[K");
    expect(lines.slice(0, 2).every((l) => l.replace("\x1b[K", "").length <= 29)).toBe(true);
    expect(lines.at(-1)).toBe("\x1b[K");
  });

  it("shows the share and the size when there is room, and nothing at all in a pipe", async () => {
    const { t, err } = terminal(true);
    Object.assign(err, { columns: 80 });
    byteProgress(t, "x.json")!.update("Checking", 3 * 1024 * 1024, 12 * 1024 * 1024);
    await t.err.flush();
    expect(err.text).toBe("\rChecking x.json: 25% of 12.0 MB\x1b[K");
    expect(byteProgress(terminal(false).t, "x.json")).toBeNull();
  });
});

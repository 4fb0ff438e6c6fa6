import { execFileSync } from "node:child_process";
import { chmodSync, createReadStream, existsSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { fakeContext, msg, type FakeContext } from "../test-helpers/fake-context.js";
import { exportCommand } from "./export.js";

let ctx: FakeContext;
afterEach(() => ctx.cleanup());

function withConversation(options: Parameters<typeof fakeContext>[0] = {}): FakeContext {
  const c = fakeContext(options);
  c.state.append(msg("user", "hello"));
  c.state.append(msg("assistant", "", { tool_calls: [{ id: "1", type: "function", function: { name: "read", arguments: '{"p":1}' } }] }));
  return c;
}

describe("/export", () => {
  it("writes the same Markdown transcript as sessions export --format markdown, private (0600)", async () => {
    ctx = withConversation();
    await exportCommand.run(ctx, ["out.md"]);
    const path = ctx.dir.join("out.md");
    const md = readFileSync(path, "utf8");
    expect(md).toMatch(/^# Victor conversation\n/);
    expect(md).toContain("- **Session:** not saved");
    expect(md).toContain("## User\n\nhello");
    expect(md).toContain('**Tool call:** `read`\n\n```json\n{"p":1}\n```');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(ctx.text).toMatch(/Exported 2 messages to .*out\.md/);
  });

  it("without a file: a unique name in the current folder, said out loud; a second export never replaces the first", async () => {
    ctx = withConversation();
    await exportCommand.run(ctx, []);
    await exportCommand.run(ctx, []);
    const files = readdirSync(ctx.dir.path).filter((f) => f.endsWith(".md")).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^victor-conversation-\d{8}-\d{6}(-2)?\.md$/);
    expect(ctx.out[0]).toContain(ctx.dir.join(files.find((f) => !f.includes("-2."))!));
  });

  it("never replaces an existing file: refused when piped, replaced with --force, 0600 even if it was 0644", async () => {
    ctx = withConversation();
    const path = ctx.dir.join("notes.md");
    writeFileSync(path, "my notes");
    chmodSync(path, 0o644);
    await expect(exportCommand.run(ctx, ["notes.md"])).rejects.toThrow(/already exists: \/export notes\.md --force replaces it/);
    expect(readFileSync(path, "utf8")).toBe("my notes");
    await exportCommand.run(ctx, ["notes.md", "--force"]);
    expect(readFileSync(path, "utf8")).toContain("## User");
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("on a terminal asks before replacing; no keeps the file", async () => {
    ctx = withConversation({ interactive: true, inputs: ["n", "y"] });
    const path = ctx.dir.join("notes.md");
    writeFileSync(path, "my notes");
    await exportCommand.run(ctx, ["notes.md"]);
    expect(ctx.questions[0]).toMatch(/already exists\. Replace it\?/);
    expect(readFileSync(path, "utf8")).toBe("my notes");
    await exportCommand.run(ctx, ["notes.md"]);
    expect(readFileSync(path, "utf8")).toContain("## User");
  });

  it("never writes through a symbolic link to a file; a missing folder is one clear error", async () => {
    ctx = withConversation();
    const target = ctx.dir.join("elsewhere.md");
    writeFileSync(target, "keep");
    symlinkSync(target, ctx.dir.join("link.md"));
    await expect(exportCommand.run(ctx, ["link.md", "--force"])).rejects.toThrow(/symbolic link .*name the file itself/);
    expect(readFileSync(target, "utf8")).toBe("keep");
    await expect(exportCommand.run(ctx, ["no/such/dir/t.md"])).rejects.toThrow(/Cannot write .*t\.md: the folder .*dir does not exist/);
    expect(existsSync(ctx.dir.join("no"))).toBe(false);
  });

  it("writes straight into a named pipe (a stream, not a file to replace)", async () => {
    ctx = withConversation();
    const fifo = ctx.dir.join("pipe");
    execFileSync("mkfifo", [fifo]);
    let received = "";
    const reading = new Promise<void>((resolve) => createReadStream(fifo, "utf8").on("data", (d) => (received += d)).on("end", () => resolve()));
    await exportCommand.run(ctx, ["pipe", "--force"]);
    await reading;
    expect(received).toContain("## User");
    expect(statSync(fifo).isFIFO()).toBe(true);
  });
});

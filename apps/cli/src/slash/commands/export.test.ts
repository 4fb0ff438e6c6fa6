import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { fakeContext, msg, type FakeContext } from "../test-helpers/fake-context.js";
import { exportCommand } from "./export.js";

let ctx: FakeContext;
afterEach(() => ctx.cleanup());

describe("/export", () => {
  it("writes a markdown transcript", async () => {
    ctx = fakeContext();
    ctx.state.append(msg("user", "hello"));
    ctx.state.append(msg("assistant", "", { tool_calls: [{ id: "1", type: "function", function: { name: "read", arguments: '{"p":1}' } }] }));
    await exportCommand.run(ctx, ["out.md"]);
    const md = readFileSync(ctx.dir.join("out.md"), "utf8");
    expect(md).toMatch(/^# Victor conversation\n/);
    expect(md).toContain("## User\n\nhello");
    expect(md).toContain("Tool call `read`");
    expect(ctx.text).toMatch(/Exported 2 messages to .*out\.md/);
  });
});

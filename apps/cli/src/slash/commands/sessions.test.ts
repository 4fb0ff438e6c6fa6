import { afterEach, describe, expect, it } from "vitest";
import { fakeContext, msg, type FakeContext } from "../test-helpers/fake-context.js";
import { sessionsCommand } from "./sessions.js";

let ctx: FakeContext;
afterEach(() => ctx.cleanup());

describe("/sessions", () => {
  it("says No saved sessions found without creating a database", async () => {
    ctx = fakeContext();
    await sessionsCommand.run(ctx, []);
    expect(ctx.text).toContain("No saved sessions found");
    expect(await ctx.existingStore()).toBeNull();
  });

  it("lists the last N with hints", async () => {
    ctx = fakeContext();
    const store = await ctx.store();
    for (const id of ["s1", "s2", "s3"]) await store.saveSession({ sessionId: id, title: `T ${id}`, conversation: { messages: [msg("user", id)] }, model: "m", provider: "p" });
    await sessionsCommand.run(ctx, ["2"]);
    expect(ctx.text).toContain("T s3");
    expect(ctx.text).toContain("T s2");
    expect(ctx.text).not.toContain("T s1");
    expect(ctx.text).toMatch(/\/resume <id>[\s\S]*\/switch .*--resume/);
    await expect(sessionsCommand.run(ctx, ["zero"])).rejects.toThrow(/whole number of at least 1/);
  });
});

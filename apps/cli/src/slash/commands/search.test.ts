import { afterEach, describe, expect, it } from "vitest";
import { fakeContext, msg, type FakeContext } from "../test-helpers/fake-context.js";
import { searchCommand } from "./search.js";

let ctx: FakeContext;
afterEach(() => ctx.cleanup());

describe("/search", () => {
  it("finds sessions by message text and reports no match", async () => {
    ctx = fakeContext();
    await (await ctx.store()).saveSession({ sessionId: "auth1", conversation: { messages: [msg("user", "fix the authentication flow")] }, model: "m", provider: "p" });
    await searchCommand.run(ctx, ["auth"]);
    expect(ctx.text).toContain("auth1");
    await searchCommand.run(ctx, ["zebra"]);
    expect(ctx.out.at(-1)).toBe('No sessions match "zebra".');
    await expect(searchCommand.run(ctx, [])).rejects.toThrow(/Usage: \/search/);
  });
});

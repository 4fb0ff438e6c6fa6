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

  it("--limit N caps the results, as victor sessions search --limit does; other --words stay in the query", async () => {
    ctx = fakeContext();
    const store = await ctx.store();
    for (const id of ["auth1", "auth2", "auth3"]) {
      await store.saveSession({ sessionId: id, conversation: { messages: [msg("user", "authentication step")] }, model: "m", provider: "p" });
    }
    await store.saveSession({ sessionId: "flags", conversation: { messages: [msg("user", "run it with --force please")] }, model: "m", provider: "p" });
    await searchCommand.run(ctx, ["authentication", "--limit", "2"]);
    expect(ctx.out.at(0)!.match(/│ auth\d/g)).toHaveLength(2);
    await searchCommand.run(ctx, ["--limit=1", "authentication"]);
    expect(ctx.out.at(-2)!.match(/│ auth\d/g)).toHaveLength(1);
    await searchCommand.run(ctx, ["--force"]);
    expect(ctx.text).toContain("flags");
    await expect(searchCommand.run(ctx, ["authentication", "--limit", "0"])).rejects.toThrow(/--limit must be a whole number/);
    await expect(searchCommand.run(ctx, ["authentication", "--limit"])).rejects.toThrow(/--limit needs a value/);
  });
});

import { describe, expect, it } from "vitest";
import { runSlashLine } from "./registry.js";
import { fakeContext } from "./test-helpers/fake-context.js";

describe("runSlashLine", () => {
  it("dispatches tokenised args, resolves aliases and rejects unknown commands", async () => {
    const ctx = fakeContext();
    await runSlashLine(ctx, "/model");
    expect(ctx.text).toContain("Current model");
    await expect(runSlashLine(ctx, "/bogus 1")).rejects.toThrow("Unknown command /bogus. Type /help for the list.");
    await expect(runSlashLine(ctx, "/sesions")).rejects.toThrow("Unknown command /sesions. Did you mean /sessions? Type /help for the list.");
    await expect(runSlashLine(ctx, "/exti")).rejects.toThrow(/Did you mean \/exit\?/);
    await expect(runSlashLine(ctx, '/save "open')).rejects.toThrow(/Unterminated/);
    await ctx.cleanup();
  });
});

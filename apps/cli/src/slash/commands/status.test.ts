import { afterEach, describe, expect, it } from "vitest";
import { fakeContext, msg, type FakeContext } from "../test-helpers/fake-context.js";
import { statusCommand } from "./status.js";

let ctx: FakeContext;
afterEach(() => ctx.cleanup());

describe("/status", () => {
  it("shows provider, model, session, count, unsaved and db path", async () => {
    ctx = fakeContext();
    ctx.state.append(msg("user", "hi"));
    await statusCommand.run(ctx, []);
    expect(ctx.text).toMatch(/Provider:\s+ollama[\s\S]*Model:\s+qwen2\.5-coder:7b[\s\S]*Session:\s+none[\s\S]*Messages:\s+1[\s\S]*Unsaved:\s+yes/);
    expect(ctx.text).toContain(ctx.dbPath);
  });
});

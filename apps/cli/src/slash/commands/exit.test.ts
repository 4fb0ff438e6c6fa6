import { describe, expect, it } from "vitest";
import { findCommand } from "../registry.js";
import { fakeContext } from "../test-helpers/fake-context.js";
import { exitCommand } from "./exit.js";

describe("/exit", () => {
  it("asks the REPL to leave, also as /quit", async () => {
    const ctx = fakeContext();
    expect(await exitCommand.run(ctx, [])).toEqual({ type: "exit" });
    expect(findCommand("quit")).toBe(exitCommand);
    await ctx.cleanup();
  });
});

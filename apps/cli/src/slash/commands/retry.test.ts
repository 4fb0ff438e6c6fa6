import { afterEach, describe, expect, it } from "vitest";
import { fakeContext, type FakeContext } from "../test-helpers/fake-context.js";
import { retryCommand } from "./retry.js";

let ctx: FakeContext;
afterEach(() => ctx.cleanup());

describe("/retry", () => {
  it("asks the loop to send the set-aside message again; nothing to retry is a clear error", async () => {
    ctx = fakeContext();
    await expect(retryCommand.run(ctx, [])).rejects.toThrow(/Nothing to retry/);
    ctx.state.noteUnanswered("explain the bug");
    expect(await retryCommand.run(ctx, [])).toEqual({ type: "retry", text: "explain the bug" });
  });
});

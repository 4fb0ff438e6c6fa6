import { afterEach, describe, expect, it } from "vitest";
import { fakeContext, msg, type FakeContext } from "../test-helpers/fake-context.js";
import { renameCommand } from "./rename.js";
import { saveCommand } from "./save.js";

let ctx: FakeContext;
afterEach(() => ctx.cleanup());

describe("/rename", () => {
  it("renames the active session and a later /save is not a conflict", async () => {
    ctx = fakeContext();
    ctx.state.append(msg("user", "hello"));
    await saveCommand.run(ctx, []);
    await renameCommand.run(ctx, ["New", "name"]);
    expect(ctx.out.at(-1)).toMatch(/Renamed session .* to "New name"/);
    ctx.state.append(msg("assistant", "x"));
    await saveCommand.run(ctx, []);
    expect(ctx.errors).toEqual([]);
    expect(ctx.out.at(-1)).toMatch(/Title:\s+New name/);
  });

  it("needs an active session", async () => {
    ctx = fakeContext();
    await expect(renameCommand.run(ctx, ["x"])).rejects.toThrow(/No active session/);
  });
});

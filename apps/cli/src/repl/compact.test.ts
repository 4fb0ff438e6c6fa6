import { describe, expect, it } from "vitest";
import { msg } from "../slash/test-helpers/fake-context.js";
import { compactSimple, compactSmart, planCompaction, SUMMARY_PREFIX } from "./compact.js";

const convo = [
  msg("system", "sys"),
  msg("user", "u1"),
  msg("assistant", "a1"),
  msg("user", "u2"),
  msg("assistant", "", { tool_calls: [{ id: "c1", name: "read", arguments: { path: "x" } }] }),
  msg("tool", "file x", { tool_call_id: "c1", name: "read" }),
  msg("tool", "file y", { tool_call_id: "c1", name: "read" }),
  msg("assistant", "a2"),
  msg("user", "u3"),
  msg("assistant", "a3"),
];

describe("compaction", () => {
  it("simple keeps the system prompt and the last N", () => {
    const out = compactSimple(convo, 2);
    expect(out.map((m) => m.content)).toEqual(["sys", "u3", "a3"]);
    expect(out[0]).toBe(convo[0]);
  });

  it("never cuts between a tool call and its results", () => {
    const plan = planCompaction(convo, 4);
    expect(plan.tail[0]!.role).toBe("assistant");
    expect(plan.tail[0]!.tool_calls).toBeTruthy();
    expect(plan.tail).toHaveLength(6);
  });

  it("does nothing when the conversation is short", () => expect(planCompaction(convo, 50).older).toHaveLength(0));

  it("smart summarises the older messages into one system message", async () => {
    const seen: number[] = [];
    const out = await compactSmart(convo, 2, async (older) => {
      seen.push(older.length);
      return "  They discussed x.  ";
    });
    expect(seen).toEqual([7]);
    expect(out.map((m) => m.role)).toEqual(["system", "system", "user", "assistant"]);
    expect(out[1]!.content).toBe(`${SUMMARY_PREFIX}\nThey discussed x.`);
  });

  it("a second smart compaction summarises the earlier summary too", async () => {
    const once = await compactSmart(convo, 2, async () => "first");
    const twice = await compactSmart([...once, msg("user", "u4"), msg("assistant", "a4")], 2, async (older) => older.map((m) => m.content).join("|"));
    expect(twice[1]!.content).toContain(`${SUMMARY_PREFIX}\nfirst|u3|a3`);
  });
});

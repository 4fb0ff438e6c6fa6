import type { Message, Session } from "@victor/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../in-process.js";
import { chatRig, lastConversation, savedId, type ChatRig } from "./harness.js";

let rig: ChatRig;
beforeEach(async () => (rig = await chatRig()));
afterEach(() => rig.cleanup());

const victor = (args: string[]) => runCli(args, { cwd: rig.cwd, env: rig.env });
const showJson = async (id: string, all = false): Promise<Session> => JSON.parse((await victor(["sessions", "show", id, "--json", ...(all ? ["--all"] : [])])).stdout) as Session;
/** Every message a session holds, in the context or not, as exact JSON text. */
const everyMessage = (session: Session): string[] =>
  [...(session.context_history?.out_of_context.map((r) => r.message) ?? []), ...session.conversation.messages].map((m) => JSON.stringify(m));
const contents = (messages: readonly Message[]): unknown[] => messages.map((m) => m.content);

describe("history you cannot lose, from a chat", () => {
  it("the guide's compact workflow keeps everything: the model gets the compacted context, show --all has every original message byte-identical, /compact --undo + /save restores it", async () => {
    const id = savedId((await rig.chat(["one", "two", "three", "four", "five", '/save "Long session"'])).stdout);
    const original = await showJson(id);
    expect(original.conversation.messages).toHaveLength(10);

    rig.anthropic.script({ text: "SUMMARY: five questions were asked." });
    const compact = await rig.chat([`/resume ${id}`, "/compact --smart", '/save "Refactored - Compact version"']);
    expect(compact.stderr).toBe("");
    expect(compact.stdout).toMatch(/Compacted 10 → 7 messages \(older ones summarised\)[\s\S]*show --all/);
    expect(savedId(compact.stdout)).toBe(id);

    // A new process: the model receives the compacted context.
    const next = await rig.chatBin([`/resume ${id}`, "And now?"]);
    expect(next.stderr).toMatch(/unsaved/);
    const request = rig.anthropic.requests.at(-1)!.body;
    expect(JSON.stringify(request.system)).toContain("SUMMARY: five questions were asked.");
    expect(lastConversation(rig.anthropic)).toEqual([
      ["user", "three"],
      ["assistant", "Reply 3 from anthropic"],
      ["user", "four"],
      ["assistant", "Reply 4 from anthropic"],
      ["user", "five"],
      ["assistant", "Reply 5 from anthropic"],
      ["user", "And now?"],
    ]);

    // Nothing was lost: every original message is there, exactly.
    const all = await showJson(id, true);
    expect(all.conversation.messages).toHaveLength(7);
    expect(everyMessage(all)).toEqual(expect.arrayContaining(original.conversation.messages.map((m) => JSON.stringify(m))));
    const shown = await victor(["sessions", "show", id]);
    // The panel counts what the line in the conversation counts: the 6 kept messages are in the context (as copies).
    expect(shown.stdout).toMatch(/History:\s+4 messages outside the context \(smart compaction\)/);
    expect(shown.stdout).toMatch(/── 4 messages outside the context \(summarised [\d-]+ [\d:]+\) · show --all ──/);
    expect(shown.stdout).not.toContain("Reply 1 from anthropic");
    const shownAll = await victor(["sessions", "show", id, "--all"]);
    expect(shownAll.stdout).toContain("Reply 1 from anthropic");
    expect(shownAll.stdout).toMatch(/· user — summarised [\d-]+ [\d:]+, kept: carried over as #2/);

    const undo = await rig.chat([`/resume ${id}`, "/compact --undo", "/save"]);
    expect(undo.stderr).toBe("");
    expect(undo.stdout).toMatch(/Undid the smart compaction of [\d-]+ [\d:]+: back to 10 messages/);
    const restored = await showJson(id);
    expect(restored.conversation.messages).toEqual(original.conversation.messages);
    expect(restored.metadata.title).toBe("Refactored - Compact version");
    // Only the summary is outside the context now: the copies it had kept are the restored messages again.
    const undone = await victor(["sessions", "show", id]);
    expect(undone.stdout).toMatch(/History:\s+1 message outside the context · show --all/);
    expect(undone.stdout).toMatch(/── 1 message outside the context \(taken back by an undo [\d-]+ [\d:]+\) · show --all ──/);
  });

  it("a smart compaction refuses an empty summary and one cut off by the model's output limit: nothing changes; an automatic title survives a compaction", async () => {
    const id = savedId((await rig.chat(["the first question", "two", "three", "four", "/save"])).stdout);
    rig.anthropic.script({ text: "   " }, { text: "The conversation was about", finishReason: "length" });
    const run = await rig.chat([`/resume ${id}`, "/compact --smart --keep 2", "/compact --smart --keep 2", "/status"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Not compacted: the model's summary came back empty\. Nothing changed/);
    expect(run.stderr).toMatch(/Not compacted: the summary failed \(the reply was cut off by the model's output limit \(finish reason "length"\)\)\. Nothing changed\./);
    expect(run.stdout).not.toMatch(/Compacted/);
    expect(run.stdout).toMatch(/Messages:\s+8[\s\S]*Unsaved:\s+no/);

    await rig.chat([`/resume ${id}`, "/compact --keep 2", "/save"]);
    const after = await showJson(id);
    expect(contents(after.conversation.messages)).toEqual(["four", "Reply 4 from anthropic"]);
    expect(after.metadata.title).toBe("the first question");
  });

  it("messages a compaction drops before they were ever saved stay in the history: a first /save after /compact, and a /save after new messages were compacted away", async () => {
    const first = await rig.chat(["a", "b", "c", "/compact --keep 2", '/save "Fresh"']);
    expect(first.stderr).toBe("");
    const id = savedId(first.stdout);
    expect(first.stdout).toMatch(/Action:\s+created/);
    const fresh = await showJson(id, true);
    expect(contents(fresh.conversation.messages)).toEqual(["c", "Reply 3 from anthropic"]);
    expect(contents(fresh.context_history!.out_of_context.map((r) => r.message))).toEqual(["a", "Reply 1 from anthropic", "b", "Reply 2 from anthropic", "c", "Reply 3 from anthropic"]);
    expect(fresh.context_history!.epochs.map((e) => e.kind)).toEqual(["compact"]);

    const later = await rig.chat([`/resume ${id}`, "never saved", "/compact --keep 2", "/save", "/compact --undo", "/save"]);
    expect(later.stderr).toBe("");
    // Undone: the context before the compaction is back exactly, the unsaved exchange included.
    expect(contents((await showJson(id)).conversation.messages)).toEqual(["c", "Reply 3 from anthropic", "never saved", "Reply 4 from anthropic"]);
    await rig.chat([`/resume ${id}`, "/compact --keep 1", "/save"]);
    const hit = JSON.parse((await victor(["sessions", "search", "never saved", "--json"])).stdout) as { match_in_context: boolean }[];
    expect(hit.map((h) => h.match_in_context)).toEqual([false]);
  });

  it("/fork N continues in a fork of the first N messages; /compact --undo takes back a compaction not saved yet", async () => {
    const id = savedId((await rig.chat(["alpha", "beta", "gamma", '/save "Trunk"'])).stdout);
    const run = await rig.chat([`/resume ${id}`, "/fork 2 Other way", "delta", "/compact --keep 1", "/compact --undo", "/save", "/status"]);
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(new RegExp(`Session Forked[\\s\\S]*From:\\s+${id} at message 2`));
    expect(run.stdout).toMatch(/Undid the compaction: back to 4 messages/);
    const fork = /New ID:\s+(\S+)/.exec(run.stdout)![1]!;
    expect(run.stdout).toMatch(new RegExp(`Session:\\s+${fork}`));
    expect(lastConversation(rig.anthropic)).toEqual([
      ["user", "alpha"],
      ["assistant", "Reply 1 from anthropic"],
      ["user", "delta"],
    ]);
    const forked = await showJson(fork);
    expect(forked.metadata).toMatchObject({ parent_id: id, fork_point: 2, title: "Other way" });
    expect(contents(forked.conversation.messages)).toEqual(["alpha", "Reply 1 from anthropic", "delta", "Reply 4 from anthropic"]);
    expect(forked.context_history).toBeUndefined();
    expect((await showJson(id)).conversation.messages).toHaveLength(6);
  });

  it("/rewind twice: each dropped tail is kept as a fork the chat names; /save marks the rewound messages out of the context", async () => {
    const id = savedId((await rig.chat(["q1", "q2", "q3", '/save "Rewinds"'])).stdout);
    const run = await rig.chat([`/resume ${id}`, "/rewind", "q3 again", "/rewind 2", "/save"]);
    expect(run.stderr).toBe("");
    const kept = [...run.stdout.matchAll(/What was dropped is kept in session (\S+) \(a fork of (\S+) at message (\d+)\)/g)].map((m) => [m[1], m[2], Number(m[3])]);
    expect(kept).toEqual([
      [expect.any(String), id, 4],
      [expect.any(String), id, 2],
    ]);
    const [first, second] = kept.map((k) => k[0] as string);
    expect(contents((await showJson(first!)).conversation.messages)).toEqual(["q1", "Reply 1 from anthropic", "q2", "Reply 2 from anthropic", "q3", "Reply 3 from anthropic"]);
    expect(contents((await showJson(second!)).conversation.messages)).toEqual(["q1", "Reply 1 from anthropic", "q2", "Reply 2 from anthropic", "q3 again", "Reply 4 from anthropic"]);
    expect((await showJson(second!)).metadata.title).toBe("Rewinds (before rewind)");
    const all = await showJson(id, true);
    expect(contents(all.conversation.messages)).toEqual(["q1", "Reply 1 from anthropic"]);
    expect(all.context_history!.epochs.map((e) => e.kind)).toEqual(["rewind"]);
    expect(contents(all.context_history!.out_of_context.map((r) => r.message))).toEqual(["q2", "Reply 2 from anthropic", "q3", "Reply 3 from anthropic"]);
    const tree = await victor(["sessions", "tree", id]);
    expect(tree.stdout).toContain(`${id}  Rewinds`);
    expect(tree.stdout).toMatch(new RegExp(`├─ ${first}  Rewinds \\(before rewind\\)  fork at 4`));
    expect(tree.stdout).toMatch(new RegExp(`└─ ${second}  Rewinds \\(before rewind\\)  fork at 2`));
    expect(tree.stdout).toMatch(/◦ rewound [\d-]+ [\d:]+: 4 messages left the context/);
  });
});

import { displayWidth } from "@victor/terminal";
import type { Message, Session } from "@victor/core";
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeProject, withStore, type Project } from "./helpers.js";

let project: Project;
beforeEach(() => {
  project = makeProject();
});
afterEach(() => project.remove());

const turns = (n: number): Message[] => Array.from({ length: n }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content: `turn ${i} ${i === 1 ? "about the zanzibar rollout" : "text"}` }));
const compacted = (messages: Message[]): Message[] => [{ role: "system", content: "[Previous conversation summary]\nthe gist" }, ...messages.slice(-2)];

/** A session "root" of 8 messages, compacted to a summary and the last two. */
async function compactedSession(title = "Root session"): Promise<Message[]> {
  const original = turns(8);
  await withStore(project.dbPath, async (store) => {
    await store.saveSession({ sessionId: "root", title, conversation: { messages: original }, model: "m", provider: "p" });
    await store.saveSession({ sessionId: "root", conversation: { messages: compacted(original) }, model: "m", provider: "p", contextChange: { kind: "compact-smart" } });
  });
  return original;
}

const json = async (args: string[]): Promise<unknown> => {
  const run = await project.run([...args, "--json"]);
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout);
};

describe("victor sessions: forks, trees, history", () => {
  it("fork --at the first, a middle and the last message, and a fork of a fork; show names parent and point", async () => {
    await withStore(project.dbPath, (store) => store.saveSession({ sessionId: "root", title: "Root", conversation: { messages: turns(6) }, model: "m", provider: "p" }));
    const forks: Record<number, string> = {};
    for (const at of [1, 3, 6]) {
      const result = (await json(["sessions", "fork", "root", "--at", String(at)])) as Record<string, unknown>;
      expect(result).toMatchObject({ parent_id: "root", fork_point: at, message_count: at, title: "Root (fork)" });
      forks[at] = result.session_id as string;
      const shown = await project.run(["sessions", "show", forks[at]!]);
      expect(shown.stdout).toMatch(new RegExp(`Forked from: root at message ${at}`));
    }
    const human = await project.run(["sessions", "fork", forks[3]!, "--at", "2", "--title", "Deeper"]);
    expect(human.stdout).toMatch(new RegExp(`From:\\s+${forks[3]} at message 2`));
    const grandchild = /New ID:\s+(\S+)/.exec(human.stdout)![1]!;
    expect(((await json(["sessions", "show", grandchild])) as Session).metadata).toMatchObject({ parent_id: forks[3], fork_point: 2, title: "Deeper" });
    const tooFar = await project.run(["sessions", "fork", "root", "--at", "7"]);
    expect(tooFar.code).toBe(2);
    expect(tooFar.stderr).toMatch(/Session root has 6 messages: fork at a message from 1 to 6/);
    expect((await project.run(["sessions", "fork", "root", "--at", "0"])).code).toBe(2);

    const tree = (await json(["sessions", "tree", grandchild])) as { trees: { session_id: string; forks: { session_id: string; fork_point: number; forks: { session_id: string }[] }[] }[] };
    expect(tree.trees.map((t) => t.session_id)).toEqual(["root"]);
    expect(tree.trees[0]!.forks.map((f) => f.fork_point)).toEqual([1, 3, 6]);
    expect(tree.trees[0]!.forks[1]!.forks.map((f) => f.session_id)).toEqual([grandchild]);
  });

  it("deleting a parent leaves its forks working, and they say the parent is gone", async () => {
    await withStore(project.dbPath, (store) => store.saveSession({ sessionId: "root", title: "Root", conversation: { messages: turns(4) }, model: "m", provider: "p" }));
    const fork = ((await json(["sessions", "fork", "root", "--at", "2"])) as { session_id: string }).session_id;
    expect((await project.run(["sessions", "delete", "root", "--yes"])).code).toBe(0);
    const shown = await project.run(["sessions", "show", fork]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/Forked from: root at message 2 \(deleted since; this fork keeps its messages\)/);
    expect(shown.stdout).toContain("turn 1 about the zanzibar rollout");
    const tree = await project.run(["sessions", "tree", fork]);
    expect(tree.stdout).toMatch(new RegExp(`^\\(forked from root, deleted since\\)\\n${fork}  Root \\(fork\\)  fork at 2`));
    expect(((await json(["sessions", "tree"])) as { missing_parents: string[] }).missing_parents).toEqual(["root"]);
  });

  it("show marks where messages left the context; --all shows them; --json is the context, --all --json adds context_history", async () => {
    const original = await compactedSession();
    const plain = await project.run(["sessions", "show", "root"]);
    expect(plain.stdout).toMatch(/Messages:\s+3\b/);
    expect(plain.stdout).toMatch(/── 6 messages outside the context \(summarised [\d-]+ [\d:]+\) · show --all ──\n\n#1 system/);
    expect(plain.stdout).not.toContain("zanzibar");
    const all = await project.run(["sessions", "show", "root", "--all"]);
    expect(all.stdout).toMatch(/· assistant \[summarised [\d-]+ [\d:]+\]\nturn 1 about the zanzibar rollout/);
    expect(all.stdout).toMatch(/#2 user \(carried over\)\nturn 6 text/);
    const context = (await json(["sessions", "show", "root"])) as Session;
    expect(context.conversation.messages).toEqual(compacted(original));
    expect(context.context_history).toBeUndefined();
    const everything = (await json(["sessions", "show", "root", "--all"])) as Session;
    expect(everything.context_history!.out_of_context.map((r) => r.message)).toEqual(original);
    const markdown = await project.run(["sessions", "export", "root", "--format", "markdown"]);
    expect(markdown.stdout).toMatch(/_── 6 messages outside the context \(summarised [^)]+\) ──_/);
    expect(markdown.stdout).not.toContain("zanzibar");
    const markdownAll = await project.run(["sessions", "export", "root", "--format", "markdown", "--all"]);
    expect(markdownAll.stdout).toMatch(/## Assistant _\(outside the context: summarised [^)]+\)_\n\nturn 1 about the zanzibar rollout/);
  });

  it("search finds text in compacted turns and says so", async () => {
    await compactedSession();
    const found = await project.run(["sessions", "search", "zanzibar"]);
    expect(found.stdout).toMatch(/root.*\(outside the context\) .*\[zanzibar\]/);
    expect(found.stdout).toMatch(/\(outside the context\): the match is in a message a compaction or rewind took out of the model's context; it is kept/);
    expect(await json(["sessions", "search", "zanzibar"])).toEqual([expect.objectContaining({ session_id: "root", match_position: 1, match_in_context: false })]);
    expect(await json(["sessions", "search", "gist"])).toEqual([expect.objectContaining({ session_id: "root", match_in_context: true })]);
  });

  it("uncompact restores the previous context; a second one has nothing to undo", async () => {
    const original = await compactedSession();
    const run = await project.run(["sessions", "uncompact", "ro"]);
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/Undid the smart compaction of [\d-]+ [\d:]+ in root: 8 messages back in the context, 3 messages out of it \(kept, see show --all\); 8 messages now\./);
    expect(((await json(["sessions", "show", "root"])) as Session).conversation.messages).toEqual(original);
    const again = await project.run(["sessions", "uncompact", "root"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/Session root has no compaction or other change of its context to undo\./);
    expect((await project.run(["sessions", "uncompact", "nope"])).stderr).toMatch(/Session not found: nope/);
  });

  it("export → import into another database restores the same history, marks and fork links", async () => {
    await compactedSession();
    await project.run(["sessions", "fork", "root", "--at", "2"]);
    const file = project.dir.join("all.json");
    expect((await project.run(["sessions", "export", "--output", file])).code).toBe(0);
    const exported = JSON.parse(readFileSync(file, "utf8")) as Session[];
    expect(exported.find((s) => s.metadata.session_id === "root")!.context_history!.out_of_context).toHaveLength(8);
    const other = project.dir.join("other.db");
    const imported = await project.run(["sessions", "import", file, "--db", other]);
    expect(imported.stdout).toMatch(/Imported 2 sessions/);
    for (const s of exported) {
      const id = s.metadata.session_id;
      const back = (await json(["sessions", "show", id, "--all", "--db", other])) as Session;
      expect(back.conversation).toEqual(s.conversation);
      expect(back.context_history).toEqual(s.context_history);
      expect(back.metadata).toMatchObject({ parent_id: s.metadata.parent_id, fork_point: s.metadata.fork_point, title: s.metadata.title, message_count: s.metadata.message_count });
    }
  });

  it("tree fits the terminal, and stored text in it is shown, never obeyed", async () => {
    await compactedSession("Root \u001b]0;pwned\u0007 title that is long enough to be cut");
    await project.run(["sessions", "fork", "root", "--at", "1", "--title", "A fork whose title is also long enough to be cut at the edge"]);
    for (const columns of [50, 80]) {
      const run = await project.run(["sessions", "tree", "root"], { tty: { columns } });
      const lines = run.stdout.trimEnd().split("\n");
      expect(lines.every((l) => displayWidth(l) <= columns)).toBe(true);
      expect(run.stdout).not.toContain("\u001b]");
      expect(run.stdout).toContain("␛]0;pwned");
      expect(run.stdout).toMatch(columns === 80 ? /│ {2}◦ summarised [\d-]+ [\d:]+: 8 messages left the context/ : /│ {2}◦ summarised /);
      expect(run.stdout).toMatch(/└─ \S+ {2}A fork/);
    }
  });
});

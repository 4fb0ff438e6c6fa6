import { describe, expect, it } from "vitest";
import { InvalidSessionDataError, NothingToUndoError, toSaveInput, type Message, type Session, type SessionStore } from "../src/index.js";
import { describeEngines } from "./engines.js";
import { input, msgs } from "./helpers.js";

/**
 * History that is never lost (DESIGN §10): compaction and undo, forks with their points, the
 * session tree, search in compacted turns, exports that carry everything — on every engine.
 */

const system: Message = { role: "system", content: "You are Victor." };
const turns = (n: number, tag = "turn"): Message[] => msgs(...Array.from({ length: n }, (_, i) => `${tag} ${i} ${i % 2 ? "answer" : "question"}`));
const summary = (text: string): Message => ({ role: "system", content: `[Previous conversation summary]\n${text}` });

/** What /compact --smart --keep 2 gives: the system prompt, a summary, the last two messages (same objects). */
const compacted = (messages: readonly Message[], text = "the gist"): Message[] => [messages[0]!, summary(text), ...messages.slice(-2)];

/** Every message a session holds, in or out of its context (what `show --all` shows). */
async function everything(store: SessionStore, id: string): Promise<Message[]> {
  const session = await store.getSession(id, { all: true });
  const history = session.context_history;
  if (!history) return session.conversation.messages;
  return [...history.out_of_context.map((r) => r.message), ...session.conversation.messages];
}

describeEngines("history that is never lost", (engine) => {
  describe("compaction and undo", () => {
    it("a compaction keeps every message: the context is what the model gets, { all: true } has the rest, marked", async () => {
      const { store, another } = await engine.fresh();
      const original = [system, ...turns(8)];
      const { sessionId } = await store.saveSession(input(original));
      const compact = compacted(original);
      const saved = await store.saveSession(input(compact, { sessionId, contextChange: { kind: "compact-smart", through: compact.length } }));
      expect(saved.messageCount).toBe(4);
      const reader = await another();
      const plain = await reader.getSession(sessionId);
      expect(plain.conversation.messages).toEqual(compact);
      expect(plain.metadata.message_count).toBe(4);
      expect(plain.context_history).toBeUndefined();
      const all = await reader.getSession(sessionId, { all: true });
      expect(all.conversation.messages).toEqual(compact);
      const history = all.context_history!;
      expect(history.epochs).toEqual([{ epoch: 1, kind: "compact-smart", at: expect.any(String), removed: 8, appended: [9, 12] }]);
      expect(history.out_of_context.map((r) => [r.position, r.epoch, r.message])).toEqual(original.slice(1).map((m, i) => [i + 1, 1, m]));
      expect(history.context).toEqual([{ position: 0 }, { position: 9 }, { position: 10, carried_from: 7 }, { position: 11, carried_from: 8 }]);
      expect(await everything(reader, sessionId)).toEqual(expect.arrayContaining(original));
      expect((await reader.getSummary(sessionId)).messageCount).toBe(4);
    });

    it("an undo restores the previous context exactly; messages saved after the compaction stay, after the restored ones", async () => {
      const { store, messageRows } = await engine.fresh();
      const original = [system, ...turns(8)];
      const { sessionId } = await store.saveSession(input(original));
      const compact = compacted(original);
      await store.saveSession(input(compact, { sessionId, contextChange: { kind: "compact-smart", through: compact.length } }));
      const later = msgs("after the compaction", "noted");
      await store.saveSession(input([...compact, ...later], { sessionId }));
      const rowsBefore = await messageRows(sessionId);

      const preview = await store.previewUndo(sessionId);
      expect(preview.change).toMatchObject({ epoch: 1, kind: "compact-smart" });
      expect(preview.messages).toEqual([...original, ...later]);

      const undone = await store.undoContextChange(sessionId);
      expect(undone).toMatchObject({ sessionId, revision: 4, restored: 8, retracted: 3, messageCount: 11, undone: { epoch: 1, undone_by: 2 } });
      expect((await store.getSession(sessionId)).conversation.messages).toEqual([...original, ...later]);
      // Marks only: no row was written or deleted.
      const rowsAfter = await messageRows(sessionId);
      expect(rowsAfter.map(({ context_epoch: _, ...r }) => r)).toEqual(rowsBefore.map(({ context_epoch: _, ...r }) => r));
      expect(rowsAfter.filter((r) => r.context_epoch === 2).map((r) => r.content)).toEqual([compact[1]!.content, original[7]!.content, original[8]!.content]);
      await expect(store.undoContextChange(sessionId)).rejects.toBeInstanceOf(NothingToUndoError);
    });

    it("changes are undone newest first, and a compaction never renames an automatic title", async () => {
      const { store } = await engine.fresh();
      const original = [system, ...turns(10)];
      const { sessionId, title } = await store.saveSession(input(original));
      expect(title).toBe("turn 0 question");
      const once = compacted(original, "first");
      await store.saveSession(input(once, { sessionId, contextChange: { kind: "compact-smart" } }));
      const twice = [once[0]!, summary("second"), ...once.slice(-1)];
      await store.saveSession(input(twice, { sessionId, contextChange: { kind: "compact" } }));
      expect((await store.getSummary(sessionId)).title).toBe("turn 0 question");
      await store.undoContextChange(sessionId);
      expect((await store.getSession(sessionId)).conversation.messages).toEqual(once);
      await store.undoContextChange(sessionId);
      expect((await store.getSession(sessionId)).conversation.messages).toEqual(original);
      expect((await store.getSummary(sessionId)).title).toBe("turn 0 question");
    });

    it("a save can carry the undo (the chat's /compact --undo, then /save), and goes on from the restored context", async () => {
      const { store, another } = await engine.fresh();
      const original = [system, ...turns(6)];
      const { sessionId } = await store.saveSession(input(original));
      await store.saveSession(input(compacted(original), { sessionId, contextChange: { kind: "compact-smart" } }));
      const chat = await another();
      const resumed = await chat.getSession(sessionId);
      const preview = await chat.previewUndo(sessionId);
      const next = [...preview.messages, ...msgs("a new question")];
      const r = await chat.saveSession(input(next, { sessionId, contextChange: { kind: "undo", epoch: preview.change.epoch }, expectedRevision: resumed.metadata.revision }));
      expect(r.messageCount).toBe(8);
      const all = await store.getSession(sessionId, { all: true });
      expect(all.conversation.messages).toEqual(next);
      expect(all.context_history!.epochs.map((e) => [e.epoch, e.kind, e.undone_by ?? null])).toEqual([
        [1, "compact-smart", 2],
        [2, "undo", null],
      ]);
      await expect(chat.saveSession(input(next, { sessionId, contextChange: { kind: "undo", epoch: 1 } }))).rejects.toBeInstanceOf(NothingToUndoError);
    });

    it("re-saving a compacted session appends: the compacted rows are never read or written again", async () => {
      const { store, another, messageRows } = await engine.fresh();
      const original = [system, ...turns(20)];
      const { sessionId } = await store.saveSession(input(original));
      const compact = compacted(original);
      await store.saveSession(input(compact, { sessionId }));
      const before = await messageRows(sessionId);
      const other = await another();
      const loaded = await other.getSession(sessionId);
      await other.saveSession(input([...loaded.conversation.messages, ...msgs("more")], { sessionId }));
      const after = await messageRows(sessionId);
      expect(after.slice(0, before.length)).toEqual(before);
      expect(after.slice(before.length).map((r) => [r.position, r.content, r.context_epoch])).toEqual([[before.length, "more", null]]);
    });
  });

  describe("forks", () => {
    it("fork at the first, a middle and the last message; a fork of a fork; show names parent and point", async () => {
      const { store } = await engine.fresh();
      const original = turns(6);
      const { sessionId } = await store.saveSession(input(original, { title: "Root" }));
      for (const at of [1, 3, 6]) {
        const fork = await store.forkSession(sessionId, { at });
        const session = await store.getSession(fork.sessionId);
        expect(session.conversation.messages).toEqual(original.slice(0, at));
        expect(session.metadata).toMatchObject({ parent_id: sessionId, fork_point: at, title: "Root (fork)" });
      }
      const [, middle] = (await store.listSessions({ limit: -1, orderBy: "created" })).filter((s) => s.parentId === sessionId).sort((a, b) => a.forkPoint! - b.forkPoint!);
      const grandchild = await store.forkSession(middle!.id, { at: 2, title: "Deeper" });
      expect((await store.getSession(grandchild.sessionId)).metadata).toMatchObject({ parent_id: middle!.id, fork_point: 2, title: "Deeper" });
      expect((await store.forkSession(sessionId)).messageCount).toBe(6);
      await expect(store.forkSession(sessionId, { at: 7 })).rejects.toThrow(/has 6 messages: fork at a message from 1 to 6/);
      await expect(store.forkSession(sessionId, { at: 0 })).rejects.toBeInstanceOf(InvalidSessionDataError);
    });

    it("the tree of a session: forks, points, counts and compactions; forks outlive a deleted parent, which is named as missing", async () => {
      const { store } = await engine.fresh();
      const original = [system, ...turns(6)];
      const root = await store.saveSession(input(original, { sessionId: "root" }));
      const a = await store.forkSession(root.sessionId, { at: 3, title: "A" });
      const b = await store.forkSession(a.sessionId, { at: 2, title: "B" });
      await store.saveSession(input(compacted(original), { sessionId: "root", contextChange: { kind: "compact-smart" } }));
      const tree = await store.sessionTree(b.sessionId);
      expect(tree.missingParents).toEqual([]);
      const [top] = tree.roots;
      expect(top!.summary.id).toBe("root");
      expect(top!.outOfContext).toBe(6);
      expect(top!.epochs.map((e) => e.kind)).toEqual(["compact-smart"]);
      expect(top!.forks.map((f) => [f.summary.id, f.summary.forkPoint, f.summary.messageCount])).toEqual([[a.sessionId, 3, 3]]);
      expect(top!.forks[0]!.forks.map((f) => [f.summary.id, f.summary.forkPoint])).toEqual([[b.sessionId, 2]]);

      await store.deleteSession("root");
      const fork = await store.getSession(a.sessionId);
      expect(fork.metadata.parent_id).toBe("root");
      expect(fork.conversation.messages).toEqual(original.slice(0, 3));
      const after = await store.sessionTree(b.sessionId);
      expect(after.roots.map((r) => r.summary.id)).toEqual([a.sessionId]);
      expect(after.missingParents).toEqual(["root"]);
      expect((await store.sessionTree()).roots.map((r) => r.summary.id)).toEqual([a.sessionId]);
    });
  });

  describe("search and exports", () => {
    it("search finds text in compacted turns and says so; in-context matches say so too", async () => {
      const { store } = await engine.fresh();
      const original = [system, ...msgs("the zanzibar migration plan", "ok", "keep this quokka", "fine")];
      const { sessionId } = await store.saveSession(input(original));
      await store.saveSession(input(compacted(original), { sessionId }));
      expect((await store.searchSessions("zanzibar")).map((r) => [r.id, r.matchInContext, r.matchPosition])).toEqual([[sessionId, false, 1]]);
      // A kept message is stored twice (original and carried copy): the match in the context wins.
      expect((await store.searchSessions("quokka")).map((r) => [r.id, r.matchInContext])).toEqual([[sessionId, true]]);
    });

    it("export → import restores the same history: marks, copies, epochs, fork links", async () => {
      const source = await engine.fresh();
      const target = await engine.fresh();
      const original = [system, ...turns(6)];
      const { sessionId } = await source.store.saveSession(input(original));
      await source.store.saveSession(input(compacted(original), { sessionId, contextChange: { kind: "compact-smart" } }));
      await source.store.saveSession(input([...compacted(original), ...msgs("later")], { sessionId }));
      const fork = await source.store.forkSession(sessionId, { at: 2 });
      const exported: Session[] = [];
      for await (const s of source.store.exportSessions()) exported.push(JSON.parse(JSON.stringify(s)) as Session);
      expect(exported.find((s) => s.metadata.session_id === sessionId)!.context_history).toBeDefined();
      const results = await target.store.importSessions(exported.map((s) => ({ input: toSaveInput(s), onConflict: "skip" as const })));
      expect(results.map((r) => r.status)).toEqual(["created", "created"]);
      for (const id of [sessionId, fork.sessionId]) {
        const before = await source.store.getSession(id, { all: true });
        const after = await target.store.getSession(id, { all: true });
        expect(after.conversation).toEqual(before.conversation);
        expect(after.context_history).toEqual(before.context_history);
        expect(after.metadata).toMatchObject({ parent_id: before.metadata.parent_id, fork_point: before.metadata.fork_point, title: before.metadata.title });
        const rows = (f: typeof source) => f.messageRows(id).then((r) => r.map((x) => [x.position, x.content, x.context_epoch, x.carried_from]));
        expect(await rows(target)).toEqual(await rows(source));
      }
      // The restored history can be undone like the original.
      await target.store.undoContextChange(sessionId);
      expect((await target.store.getSession(sessionId)).conversation.messages).toEqual([...original, ...msgs("later")]);
    });

    it("an import over a session it continues takes the new marks and rows; over a diverged one it loses nothing", async () => {
      const source = await engine.fresh();
      const target = await engine.fresh();
      const original = [system, ...turns(6)];
      await source.store.saveSession(input(original, { sessionId: "s" }));
      await target.store.saveSession(input(original, { sessionId: "s" }));
      await source.store.saveSession(input(compacted(original), { sessionId: "s", contextChange: { kind: "compact-smart" } }));
      const exported = JSON.parse(JSON.stringify(await source.store.getSession("s", { all: true }))) as Session;
      await target.store.importSessions([{ input: toSaveInput(exported), onConflict: "overwrite" }]);
      expect(await target.messageRows("s").then((r) => r.map((x) => [x.position, x.context_epoch, x.carried_from]))).toEqual(
        await source.messageRows("s").then((r) => r.map((x) => [x.position, x.context_epoch, x.carried_from])),
      );
      // Diverged: the target's own conversation went elsewhere; the import keeps both.
      const mine = [system, ...turns(3, "mine")];
      await target.store.saveSession(input(mine, { sessionId: "t" }));
      await target.store.importSessions([{ input: { ...toSaveInput(exported), sessionId: "t" }, onConflict: "overwrite" }]);
      const all = await everything(target.store, "t");
      expect(all).toEqual(expect.arrayContaining([...mine, ...original]));
      expect((await target.store.getSession("t")).conversation.messages).toEqual(compacted(original));
      await target.store.undoContextChange("t");
      expect((await target.store.getSession("t")).conversation.messages).toEqual(mine);
    });

    it("a history that no longer matches its messages (an older Victor changed them) still imports without losing any", async () => {
      const source = await engine.fresh();
      const original = [system, ...turns(4)];
      await source.store.saveSession(input(original, { sessionId: "old" }));
      await source.store.saveSession(input(compacted(original), { sessionId: "old" }));
      const exported = JSON.parse(JSON.stringify(await source.store.getSession("old", { all: true }))) as Session;
      exported.conversation.messages.push({ role: "user", content: "added by an older reader" });
      const target = await engine.fresh();
      await target.store.importSessions([{ input: toSaveInput(exported), onConflict: "skip" }]);
      expect((await target.store.getSession("old")).conversation.messages).toEqual(exported.conversation.messages);
      expect(await everything(target.store, "old")).toEqual(expect.arrayContaining(original));
    });
  });
});

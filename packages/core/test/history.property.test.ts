import fc from "fast-check";
import { beforeAll, expect, it } from "vitest";
import type { Message, SessionStore } from "../src/index.js";
import { describeEngines, type StoreFixture } from "./engines.js";
import { input } from "./helpers.js";

/**
 * Property: whatever sequence of appends, compactions, undos, forks, rewinds and saves a chat
 * makes, no message that was ever saved disappears — each stays reachable through the session or
 * one of its forks, with everything outside the context (`loadSession(id, { all: true })`, what
 * `show --all` shows) — and every save stores exactly the conversation it was given.
 */

type Op =
  | { op: "append"; n: number }
  | { op: "compact"; keep: number; smart: boolean }
  | { op: "undo" }
  | { op: "fork"; at: number }
  | { op: "rewind"; exchanges: number }
  | { op: "save" };

const ops: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant("append" as const), n: fc.integer({ min: 1, max: 4 }) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("compact" as const), keep: fc.integer({ min: 0, max: 4 }), smart: fc.boolean() }) },
    { weight: 2, arbitrary: fc.constant({ op: "undo" as const }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("fork" as const), at: fc.integer({ min: 1, max: 12 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("rewind" as const), exchanges: fc.integer({ min: 1, max: 2 }) }) },
    { weight: 3, arbitrary: fc.constant({ op: "save" as const }) },
  ),
  { minLength: 1, maxLength: 14 },
);

/** Every message a session holds, in the context or not. */
async function reachable(store: SessionStore, id: string): Promise<string[]> {
  const session = await store.getSession(id, { all: true });
  const out = session.context_history?.out_of_context.map((r) => r.message) ?? [];
  return [...out, ...session.conversation.messages].map((m) => String(m.content));
}

describeEngines("history (property)", (engine) => {
  let fixture: StoreFixture;
  let run = 0;
  beforeAll(async () => {
    fixture = await engine.fresh();
  });

  it("any sequence of append / compact / undo / fork / rewind / save loses no saved message", async () => {
    await fc.assert(
      fc.asyncProperty(ops, async (steps) => {
        const store = fixture.store;
        const tag = `r${++run}`;
        let counter = 0;
        const fresh = (role: string): Message => ({ role, content: `${tag}-${++counter}` });
        const system: Message = { role: "system", content: `${tag}-system` };
        let conversation: Message[] = [system];
        let pending: { kind: "compact" | "compact-smart" | "rewind"; through: number } | null = null;
        let active: string | null = null;
        const sessions = new Set<string>();
        const saved = new Set<string>();
        const save = async (): Promise<void> => {
          const change = pending ? { contextChange: pending } : {};
          const result = await store.saveSession(input(conversation, { ...(active ? { sessionId: active } : {}), ...change }));
          active = result.sessionId;
          sessions.add(active);
          pending = null;
          for (const m of conversation) saved.add(String(m.content));
          expect((await store.getSession(active)).conversation.messages).toEqual(conversation);
        };

        for (const step of steps) {
          switch (step.op) {
            case "append":
              for (let i = 0; i < step.n; i++) conversation = [...conversation, fresh(conversation.length % 2 ? "user" : "assistant")];
              break;
            case "compact": {
              const older = conversation.slice(1, Math.max(1, conversation.length - step.keep));
              if (older.length === 0) break;
              const tail = conversation.slice(1 + older.length);
              conversation = [system, ...(step.smart ? [{ role: "system", content: `${tag}-summary-${++counter}` }] : []), ...tail];
              pending = { kind: step.smart ? "compact-smart" : "compact", through: conversation.length };
              break;
            }
            case "undo": {
              // A saved compaction is undone in the store; the chat then holds the restored context.
              if (!active || pending) break;
              const epochs = (await store.getSession(active, { all: true })).context_history?.epochs ?? [];
              if (!epochs.some((e) => e.kind !== "undo" && e.undone_by === undefined)) break;
              const preview = await store.previewUndo(active);
              await store.undoContextChange(active);
              conversation = (await store.getSession(active)).conversation.messages;
              expect(conversation).toEqual(preview.messages);
              break;
            }
            case "fork": {
              if (!active || pending) break;
              const length = (await store.getSession(active)).conversation.messages.length;
              const fork = await store.forkSession(active, { at: Math.min(step.at, length) });
              sessions.add(fork.sessionId);
              // The chat goes on in the fork.
              active = fork.sessionId;
              conversation = (await store.getSession(active)).conversation.messages;
              break;
            }
            case "rewind": {
              const users = conversation.flatMap((m, i) => (m.role === "user" ? [i] : []));
              const cut = users.at(-step.exchanges);
              if (cut === undefined) break;
              // What is dropped is kept as an automatic fork, written at once.
              const kept = await store.saveSession(input(conversation, active ? { parentId: active, forkPoint: cut } : {}));
              sessions.add(kept.sessionId);
              for (const m of conversation) saved.add(String(m.content));
              conversation = conversation.slice(0, cut);
              pending = { kind: "rewind", through: cut };
              break;
            }
            case "save":
              await save();
              break;
          }
        }
        const found = new Set<string>();
        for (const id of sessions) for (const content of await reachable(store, id)) found.add(content);
        for (const content of saved) expect(found.has(content), content).toBe(true);
      }),
      { numRuns: engine.name === "postgres" ? 25 : 80 },
    );
  });
});

import { afterAll, beforeAll, expect, it } from "vitest";
import type { PgConnection } from "../../src/engine/pg/connection.js";
import { DatabaseLockedError } from "../../src/domain/errors.js";
import { describePg, pgFixture, type PgFixture } from "./helpers.js";
import { input, msgs, pgRead, pgWrite, storeOn } from "./harness.js";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describePg("PostgreSQL: several writers at once", () => {
  let fixture: PgFixture;
  let writers: PgConnection[];
  const project = "concurrency-project";

  beforeAll(async () => {
    fixture = await pgFixture();
    await fixture.migrated();
    // Separate pools: separate server sessions, as separate processes would have.
    writers = Array.from({ length: 6 }, () => fixture.connect(fixture.url, { maxConnections: 1 }));
  });

  afterAll(async () => {
    await fixture?.cleanup();
  });

  it("new sessions in the same second get distinct ids (base, _2, _3 …) even while every transaction is still open", async () => {
    const base = "20260315_101500";
    const allocate = (connection: PgConnection) =>
      pgWrite(connection, project, async (access) => {
        const id = await access.insertSessionWithFreshId(base, {
          name: "t",
          search_title: "t",
          provider: "",
          model: "",
          profile: "default",
          data: "{}",
          created_at: "2026-03-15T10:15:00.000Z",
          updated_at: "2026-03-15T10:15:00.000Z",
          message_count: 0,
          parent_id: null,
          fork_point: null,
          tags: "[]",
          preview_count: 0,
          revision: 1,
          incarnation: "test",
        });
        await sleep(50); // hold the new row uncommitted while the others try the same ids
        return id;
      });
    const ids = await Promise.all(writers.map(allocate));
    expect([...ids].sort()).toEqual([base, `${base}_2`, `${base}_3`, `${base}_4`, `${base}_5`, `${base}_6`].sort());
  });

  it("appends from several connections queue on the session row: none is lost, positions stay contiguous", async () => {
    await storeOn(writers[0]!, project).saveSession(input(msgs("start"), { sessionId: "appends" }));
    const appendOne = (connection: PgConnection, n: number) =>
      pgWrite(connection, project, async (access) => {
        const head = (await access.head("appends"))!;
        await access.insertMessages([{ session_id: "appends", position: head.message_count, role: "user", content: `append ${n}`, name: null, tool_calls: null, tool_call_id: null, extra: null, created_at: "2026-03-15T10:15:00.000Z", context_epoch: null, carried_from: null }]);
        await access.updateSession("appends", { name: head.name, search_title: "start", provider: "", model: "", profile: "default", data: JSON.stringify(head.data), created_at: head.created_at, updated_at: "2026-03-15T10:15:00.000Z", message_count: head.message_count + 1, parent_id: null, fork_point: null, tags: "[]", preview_count: 0 });
      });
    await Promise.all(writers.flatMap((connection, w) => Array.from({ length: 8 }, (_, i) => appendOne(connection, w * 8 + i))));
    const stored = await pgRead(writers[0]!, project, (access) => access.contextRows("appends", 0));
    expect(stored).toHaveLength(49);
    expect(new Set(stored.map(([, content]) => content)).size).toBe(49);
    expect(await pgRead(writers[0]!, project, (access) => access.head("appends"))).toMatchObject({ message_count: 49, revision: 49 });
  });

  it("a writer that waits past lock_timeout gets DatabaseLockedError, and nothing of it is written", async () => {
    const holder = storeOn(writers[3]!, project);
    await holder.saveSession(input(msgs("locked"), { sessionId: "locked" }));
    const impatient = fixture.connect(fixture.url, { lockTimeoutMs: 200, maxConnections: 1 });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const holding = pgWrite(writers[3]!, project, async (access) => {
      await access.head("locked");
      await held;
    });
    await sleep(50);
    const error = await storeOn(impatient, project).saveSession(input(msgs("locked", "more"), { sessionId: "locked" })).catch((e: unknown) => e);
    release();
    await holding;
    expect(error).toBeInstanceOf(DatabaseLockedError);
    expect((await holder.loadSession("locked"))!.conversation.messages).toHaveLength(1);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { cleanup, legacy, migrate, msg, openStore, tempDir, writeLegacy } from "./helpers.js";

afterEach(cleanup);

async function importOne(name: string, content: unknown) {
  const dir = tempDir();
  const path = writeLegacy(dir.join("sessions"), name, content);
  const dbPath = dir.join("project.db");
  const { files } = await migrate({ sources: [dir.join("sessions")], dbPath, backup: false });
  const result = files.get(path)!;
  const store = await openStore(dbPath, true);
  const session = result.sessionId ? await store.loadSession(result.sessionId) : null;
  return { result, session };
}

describe("legacy shapes", () => {
  it("imports a file without metadata, with legacy defaults and the id from the file name", async () => {
    const { metadata: _m, ...noMeta } = legacy("x");
    const { result, session } = await importOne("20250101_101010.json", noMeta);
    expect(result.outcome).toBe("imported");
    expect(result.notes.join()).toMatch(/no metadata/);
    expect(session!.metadata.session_id).toBe("20250101_101010");
    expect(session!.metadata.model).toBe("");
    expect(session!.metadata.provider).toBe("");
    expect(session!.metadata.profile).toBe("default");
    expect(session!.metadata.tags).toEqual([]);
    expect(session!.metadata.title).toBe("Hello from x");
    expect(session!.metadata.legacy).toMatchObject({ metadata: null });
  });

  it("fills missing metadata keys and conversation keys with defaults, and nulls stay legal", async () => {
    const file = { metadata: { title: null, model: null, tags: null }, conversation: { messages: [{ role: "user", content: "only a user" }] } };
    const { result, session } = await importOne("minimal.json", file);
    expect(result.outcome).toBe("imported");
    expect(session!.metadata.title).toBe("only a user");
    expect(session!.conversation.messages).toEqual([{ role: "user", content: "only a user" }]);
    expect(session!.conversation_state).toBeNull();
    expect(session!.tool_selection_stats).toBeNull();
  });

  it("keeps extra keys everywhere: top level, metadata, conversation, messages (images), preview_messages, execution_state", async () => {
    const messages = [
      msg("user", "look at this 🖼️ café ünïcödé 日本語", { images: ["data:image/png;base64,AAAA"] }),
      msg("assistant", "", { tool_calls: [{ id: "call_1", type: "function", function: { name: "read", arguments: '{"path": "a.py"}' } }] }),
      msg("tool", "file body", { name: "read", tool_call_id: "call_1" }),
      msg("assistant", "", { tool_calls: [{ id: "toolu_2", name: "edit", arguments: { path: "b.py", old: "x", new: "y" } }] }),
    ];
    const file = legacy("rich", { execution_state: { step: 3, plan: ["a", "b"] }, some_flag: true }, messages);
    (file.metadata as Record<string, unknown>).custom_meta = { nested: [1, 2] };
    (file.conversation as Record<string, unknown>).preview_messages = [{ role: "assistant", content: "preview", metadata: { k: 1 }, after_message_index: 2 }];
    (file.conversation as Record<string, unknown>).unknown_conv = "kept";
    const { result, session } = await importOne("rich.json", file);
    expect(result.outcome).toBe("imported");
    expect(session!.execution_state).toEqual({ step: 3, plan: ["a", "b"] });
    expect(session!.some_flag).toBe(true);
    expect(session!.metadata.custom_meta).toEqual({ nested: [1, 2] });
    expect(session!.conversation).toEqual(file.conversation);
    expect(session!.metadata.title).toBe("look at this 🖼️ café ünïcödé 日本語");
  });

  it("strips a UTF-8 BOM", async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(legacy("bom"), null, 2))]);
    const { result, session } = await importOne("bom.json", body);
    expect(result.outcome).toBe("imported");
    expect(session!.metadata.model).toBe("claude-sonnet-4-20250514");
  });

  it("recovers files cut after conversation_state (with or without trailing whitespace)", async () => {
    for (const tail of ["", " ", "  \n", "\n\n"]) {
      const text = JSON.stringify(legacy("cut"), null, 2);
      const cut = text.slice(0, text.indexOf('"conversation_state": ') + '"conversation_state": '.length) + tail;
      const { result, session } = await importOne("cut.json", cut);
      expect(result.outcome, JSON.stringify(tail)).toBe("recovered");
      expect(session!.conversation.messages).toHaveLength(3);
      expect(session!.conversation_state).toBeNull();
      await cleanup();
    }
  });

  const broken: [string, string, unknown, RegExp][] = [
    ["empty", "empty.json", "", /^empty file$/],
    ["whitespace only", "blank.json", "  \n", /^empty file/],
    ["not JSON", "bad.json", '{\n  "metadata": {},\n  oops\n}', /^not JSON: .*line 3, column 3/],
    ["cut elsewhere", "cut.json", '{\n  "metadata": {"model": "x"', /^not JSON: /],
    ["a list", "list.json", "[1, 2]", /^JSON but not a Victor session: the file holds a list/],
    ["a string", "str.json", '"hello"', /^JSON but not a Victor session: the file holds text/],
    ["no conversation", "noconv.json", { metadata: {} }, /^JSON but not a Victor session: no conversation\.messages/],
    ["no messages", "nomsgs.json", { conversation: { system_prompt: "x" } }, /^JSON but not a Victor session: no conversation\.messages$/],
    ["messages not a list", "msgobj.json", { conversation: { messages: {} } }, /conversation\.messages should be a list, not an object/],
    ["a message without role", "norole.json", { conversation: { messages: [{ content: "x" }] } }, /message 0 has no role/],
    ["a role that is a number", "numrole.json", { conversation: { messages: [{ role: 5 }] } }, /message 0\.role should be text, not a number/],
    ["model of the wrong type", "model.json", { metadata: { model: 42 }, conversation: { messages: [] } }, /metadata\.model should be text, not a number/],
    ["tags of the wrong type", "tags.json", { metadata: { tags: "a,b" }, conversation: { messages: [] } }, /metadata\.tags should be a list, not text/],
    ["metadata not an object", "meta.json", { metadata: [1], conversation: { messages: [] } }, /metadata should be an object, not a list/],
    ["a created_at that is no date", "date.json", { metadata: { created_at: "yesterday" }, conversation: { messages: [] } }, /metadata\.created_at is not a date/],
    ["invalid id file name", "-bad name!.json", legacy("x"), /^file name is not a valid session id/],
    ["bad UTF-8", "latin1.json", Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]), /^not valid UTF-8/],
  ];
  it.each(broken)("fails %s with a reason a person understands", async (_what, name, content, reason) => {
    const { result } = await importOne(name, content);
    expect(result.outcome).toBe("failed");
    expect(result.reason).toMatch(reason);
  });

  it("treats non-.json files as ignored and keeps going past failures", async () => {
    const dir = tempDir();
    const sessions = dir.join("sessions");
    writeLegacy(sessions, "a.json", legacy("a"));
    writeLegacy(sessions, "notes.txt", "hello");
    writeLegacy(sessions, "broken.json", "{");
    writeLegacy(sessions, "b.json", legacy("b"));
    const { report } = await migrate({ sources: [sessions], dbPath: dir.join("db.sqlite") });
    expect(report.counts).toMatchObject({ imported: 2, failed: 1, ignored: 1, total: 4 });
  });
});

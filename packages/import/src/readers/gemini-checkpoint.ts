import { basename } from "node:path";
import { GroupEmitter } from "../emitter.js";
import { MessageGroup } from "../message-group.js";
import type { ReaderInput, ReaderSink, ReadIssue, ReadOutcome, SessionHeader } from "../types.js";
import { cleanTitle, isObject, namespacedId, parseJson, str } from "../values.js";
import type { GeminiContext } from "./gemini.js";
import { functionResponse, part } from "./gemini-parts.js";

/** `/chat save` checkpoints: the model's history, `[{role, parts}]` or `{history: [...], …}`. */
export async function readGeminiCheckpoint(input: ReaderInput, sink: ReaderSink, context: GeminiContext): Promise<ReadOutcome> {
  const { file } = input;
  const tag = decodeURIComponent(basename(file.path).replace(/^checkpoint-/, "").replace(/\.json$/, ""));
  const issues: ReadIssue[] = [];
  const text = await file.text();
  const parsed = text === null ? ({ ok: false, reason: "not valid UTF-8" } as const) : parseJson(text);
  const doc = parsed.ok ? parsed.value : null;
  const history = Array.isArray(doc) ? doc : isObject(doc) && Array.isArray(doc.history) ? doc.history : null;
  if (!history) issues.push({ line: 1, reason: parsed.ok ? "not a gemini-cli checkpoint (no history list)" : parsed.reason });
  const header: SessionHeader = {
    id: namespacedId("gemini", `${context.projectKey}.checkpoint-${tag.replace(/[^A-Za-z0-9._=-]/g, "_")}`),
    title: cleanTitle(tag),
    model: "",
    provider: "google",
    cwd: context.projectRoot,
    createdAt: context.modified,
    updatedAt: context.modified,
    parentId: null,
    metadataExtra: { imported_from: { tool: "gemini", file: file.path, checkpoint: tag, project: context.projectKey, cwd: context.projectRoot } },
  };
  const emitter = new GroupEmitter(sink, () => header, { keep: 0 });
  if (isObject(doc)) {
    const { history: _history, ...rest } = doc;
    emitter.addOpening(rest, 0);
  }
  const pending: { id: string; name: string }[] = [];
  let calls = 0;
  for (const content of history ?? []) {
    if (!isObject(content) || !Array.isArray(content.parts)) {
      issues.push({ line: 1, reason: "a history entry without parts" });
      continue;
    }
    const group = new MessageGroup("gemini");
    emitter.opened(group);
    const model = content.role === "model";
    const responses = content.parts.filter((p) => isObject(p) && isObject(p.functionResponse));
    const mapped: unknown[] = content.parts.slice();
    // Tool results first (they answer the previous reply's calls), then the rest as one message.
    content.parts.forEach((p, k) => {
      if (!isObject(p) || !isObject(p.functionResponse)) return;
      const fr = p.functionResponse;
      const name = str(fr.name) ?? "unknown_tool";
      const match = pending.findIndex((c) => (str(fr.id) !== null ? c.id === fr.id : c.name === name));
      const id = str(fr.id) ?? (match !== -1 ? pending[match]!.id : `${name}_${calls++}`);
      if (match !== -1) pending.splice(match, 1);
      const m = group.add("tool");
      group.toolCallId(m, id);
      group.setName(m, name);
      mapped[k] = functionResponse(group, m, p);
    });
    if (responses.length < content.parts.length || content.parts.length === 0) {
      const m = group.add(model ? "assistant" : "user");
      content.parts.forEach((p, k) => {
        if (isObject(p) && isObject(p.functionResponse)) return;
        if (isObject(p) && isObject(p.functionCall)) {
          const fc = p.functionCall;
          const name = str(fc.name) ?? "unknown_tool";
          const id = str(fc.id) ?? `${name}_${calls++}`;
          pending.push({ id, name });
          const i = group.call(m, id, name, JSON.stringify(fc.args ?? {}));
          mapped[k] = { ...p, functionCall: { ...fc, name: group.callPointer(m, i, "name"), ...("args" in fc ? { args: group.callPointer(m, i, "input") } : {}) } };
        } else mapped[k] = part(group, m, p);
      });
    }
    group.record({ ...content, parts: mapped }, 0);
    await emitter.emit(group);
  }
  await emitter.finish();
  return { header, messageCount: emitter.position, consumed: file.consumed, sha256: file.digest(), torn: false, issues, notes: [] };
}

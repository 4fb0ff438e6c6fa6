import type { MessageGroup } from "../message-group.js";
import { isObject, str, type Json } from "../values.js";

// gemini-cli's records and content (a PartListUnion: a string, a Part, or a list of them) into
// Victor messages, leaving pointers where the text went.

/** A tool call that has run (a result to answer it with). */
export function hasResult(call: unknown): boolean {
  return isObject(call) && call.result !== undefined && call.result !== null;
}

/** A gemini-cli record into messages: a reply with its tool calls, then one tool message per result. */
export function recordMessages(group: MessageGroup, record: Json): Json {
  const role = record.type === "gemini" ? "assistant" : "user";
  group.add(role);
  const out: Json = { ...record, content: parts(group, 0, record.content) };
  if (role !== "assistant" || !Array.isArray(record.toolCalls)) return out;
  out.toolCalls = record.toolCalls.map((call, c) => {
    if (!isObject(call)) return call;
    const id = str(call.id) ?? `call_${c}`;
    const name = str(call.name) ?? "unknown_tool";
    const i = group.call(0, id, name, JSON.stringify(call.args ?? {}));
    const mapped: Json = { ...call, name: group.callPointer(0, i, "name") };
    if ("args" in call) mapped.args = group.callPointer(0, i, "input");
    if (hasResult(call)) {
      const m = group.add("tool");
      group.toolCallId(m, id);
      group.setName(m, name);
      mapped.result = results(group, m, call.result);
    }
    return mapped;
  });
  return out;
}

/** A PartListUnion's text into message m: a string, one Part, or a list of them. */
function parts(group: MessageGroup, m: number, content: unknown): unknown {
  if (typeof content === "string") return group.text(m, content);
  if (Array.isArray(content)) return content.map((p) => part(group, m, p));
  return part(group, m, content);
}

/**
 * One Part's text into message m. A thought part (`thought: true`: the model's reasoning, or the
 * "Binary content received" turn gemini-cli makes up) is not the reply: it stays in the record,
 * as Claude Code's thinking and Codex's reasoning do.
 */
export function part(group: MessageGroup, m: number, p: unknown): unknown {
  if (typeof p === "string") return group.text(m, p);
  if (isObject(p) && typeof p.text === "string" && p.thought !== true) return { ...p, text: group.text(m, p.text) };
  return p;
}

/** A function response part: its `output` (or `error`) text goes into message m. */
export function functionResponse(group: MessageGroup, m: number, p: Json): Json {
  const fr = p.functionResponse as Json;
  const response = isObject(fr.response) ? fr.response : null;
  const key = response && typeof response.output === "string" ? "output" : response && typeof response.error === "string" ? "error" : null;
  if (response && key) return { ...p, functionResponse: { ...fr, response: { ...response, [key]: group.text(m, response[key] as string) } } };
  // No text to point at: the message gets a copy, the record stays whole.
  group.messages[m]!.content = fr.response === undefined ? "" : JSON.stringify(fr.response);
  return p;
}

/** A tool's result (a PartListUnion): function responses give their text; other parts as usual. */
function results(group: MessageGroup, m: number, result: unknown): unknown {
  const one = (p: unknown): unknown => (isObject(p) && isObject(p.functionResponse) ? functionResponse(group, m, p) : part(group, m, p));
  return Array.isArray(result) ? result.map(one) : one(result);
}

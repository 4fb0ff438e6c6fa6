import type { Message } from "@victor/core";

/**
 * The inverse of the readers' mapping, for tests: the source records kept with the stored messages,
 * with every pointer replaced by the value it points at. If this gives back the source lines, the
 * import lost nothing.
 */
interface Call {
  id: string;
  function: { name: string; arguments: string };
}

function resolvePointer(pointer: Record<string, unknown>, group: readonly Message[]): unknown {
  const message = group[pointer.m as number]!;
  switch (pointer.$victor) {
    case "content": {
      const at = pointer.at as number;
      return (message.content as string).slice(at, at + (pointer.len as number));
    }
    case "call": {
      const call = (message.tool_calls as Call[])[pointer.i as number]!;
      if (pointer.field === "name") return call.function.name;
      return pointer.field === "arguments" ? call.function.arguments : JSON.parse(call.function.arguments);
    }
    case "tool_call_id":
      return message.tool_call_id;
  }
  throw new Error(`unknown pointer ${JSON.stringify(pointer)}`);
}

function resolve(value: unknown, group: readonly Message[]): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, group));
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  if (typeof record.$victor === "string") return resolvePointer(record, group);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, resolve(v, group)]));
}

/** The source records of a session, in the order they are stored. */
export function rebuildRecords(messages: readonly Message[], tool: "claude" | "codex" | "gemini"): unknown[] {
  const out: unknown[] = [];
  for (let start = 0; start < messages.length; ) {
    let end = start + 1;
    while (end < messages.length && messages[end]![tool] === undefined) end++;
    const group = messages.slice(start, end);
    for (const record of (group[0]![tool] as unknown[] | undefined) ?? []) out.push(resolve(record, group));
    start = end;
  }
  return out;
}

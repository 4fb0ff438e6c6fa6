import type { Message } from "@victor/core";
import type { Tool } from "./types.js";

/**
 * What a value of a source record became. The record itself is kept in the extra data of its
 * group's first message with this marker in the value's place, so the original record can be
 * rebuilt exactly from the stored messages. `m` counts messages from the group's first one.
 * - `content`: `len` characters of message m's content, from `at`;
 * - `call`: tool call i of message m (`arguments` is the text, `input` the parsed arguments);
 * - `tool_call_id`: message m's tool_call_id.
 */
export type Pointer =
  | { $victor: "content"; m: number; at: number; len: number }
  | { $victor: "call"; m: number; i: number; field: "name" | "arguments" | "input" }
  | { $victor: "tool_call_id"; m: number };

/** A tool call as Victor stores it (OpenAI's shape, which every provider adapter reads). */
export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

/** Several text parts of one message are joined with a blank line. */
const SEPARATOR = "\n\n";

/**
 * The messages made from one or more source records (one reply split over several lines, or one
 * line holding several tool results), together with those records. Readers fill it; `finish()`
 * hands the messages over with the records attached to the first one under the tool's name.
 */
export class MessageGroup {
  readonly messages: Message[] = [];
  readonly records: unknown[] = [];
  /** Source bytes behind the group, for batching writes by size. */
  bytes = 0;

  constructor(readonly tool: Tool) {}

  /** A new message of the group; returns its index (for pointers). */
  add(role: string): number {
    this.messages.push({ role, content: "", name: null, tool_calls: null, tool_call_id: null });
    return this.messages.length - 1;
  }

  get size(): number {
    return this.messages.length;
  }

  role(m: number): string {
    return this.messages[m]!.role;
  }

  /** Appends text to message m's content. */
  text(m: number, value: string): Pointer {
    const message = this.messages[m]!;
    const before = message.content as string;
    if (value === "") return { $victor: "content", m, at: before.length, len: 0 };
    const at = before === "" ? 0 : before.length + SEPARATOR.length;
    message.content = before === "" ? value : before + SEPARATOR + value;
    return { $victor: "content", m, at, len: value.length };
  }

  /** Adds a tool call to message m; returns its index there. */
  call(m: number, id: string, name: string, args: string): number {
    const message = this.messages[m]!;
    const calls = (message.tool_calls ??= []) as ToolCall[];
    calls.push({ id, type: "function", function: { name, arguments: args } });
    return calls.length - 1;
  }

  callPointer(m: number, i: number, field: "name" | "arguments" | "input"): Pointer {
    return { $victor: "call", m, i, field };
  }

  /** Sets message m's tool_call_id (a tool result). */
  toolCallId(m: number, id: string): Pointer {
    this.messages[m]!.tool_call_id = id;
    return { $victor: "tool_call_id", m };
  }

  setName(m: number, name: string | null): void {
    this.messages[m]!.name = name;
  }

  /** Keeps a source record (with pointers in place of what went into columns). */
  record(record: unknown, bytes: number): void {
    this.records.push(record);
    this.bytes += bytes;
  }

  /** Records that came before any message (a file's first lines) go in front. */
  prepend(records: readonly unknown[], bytes: number): void {
    this.records.unshift(...records);
    this.bytes += bytes;
  }

  finish(): Message[] {
    if (this.records.length > 0 && this.messages.length > 0) this.messages[0]![this.tool] = this.records;
    return this.messages;
  }
}

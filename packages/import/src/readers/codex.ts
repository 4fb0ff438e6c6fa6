import { basename } from "node:path";
import { GroupEmitter } from "../emitter.js";
import { MessageGroup } from "../message-group.js";
import { PrefixChangedError, type ReaderInput, type ReaderSink, type ReadIssue, type ReadOutcome, type SessionHeader } from "../types.js";
import { cleanTitle, isObject, later, namespacedId, parseJson, str, timestamp, titleFromText, type Json } from "../values.js";
import { findRollbacks, isInjectedText, isRolledBack } from "./codex-rollback.js";

/**
 * Codex CLI rollouts (`$CODEX_HOME/sessions/YYYY/MM/DD/rollout-<ts>-<uuid>.jsonl`, `archived_sessions/`).
 * Three eras share this reader: wrapped lines `{timestamp, type, payload}` (Sept 2025 on), bare
 * lines (a `{id, timestamp, instructions}` header, then response items and `{record_type: "state"}`),
 * and the TypeScript CLI's one-document `rollout-*.json` (`{session, items}`, see readCodexJson).
 *
 * Linear: one pass, messages in file order. A reply and the tool calls after it are one assistant
 * message; each call's output is a tool message; `compacted` keeps its summary as a user message
 * (its replacement history stays in the record). `event_msg` lines repeat the conversation for the
 * UI and are skipped (counted); so are line types this reader does not know. Turns a
 * `thread_rolled_back` event dropped (codex-rollback.ts) make no messages. Every other line is
 * kept, whole, with the message it follows.
 */

export interface CodexContext {
  /** Thread names from `$CODEX_HOME/session_index.jsonl`, by session id (the last one wins). */
  titles: ReadonlyMap<string, string>;
}

const TEXT_TYPES = new Set(["input_text", "output_text", "text"]);
const ATTACHED_LINE_TYPES = new Set(["session_meta", "turn_context", "world_state", "inter_agent_communication", "inter_agent_communication_metadata"]);
const RESPONSE_ITEM_TYPES = new Set([
  "message",
  "reasoning",
  "function_call",
  "function_call_output",
  "custom_tool_call",
  "custom_tool_call_output",
  "local_shell_call",
  "web_search_call",
  "image_generation_call",
  "tool_search_call",
  "tool_search_output",
  "ghost_snapshot",
  "compaction",
  "compaction_summary",
  "context_compaction",
]);

/** In 2025 files the typed request followed this marker inside a wrapped message. */
const REQUEST_MARKER = "## My request for Codex:";

function typedText(text: string): string | null {
  const marker = text.indexOf(REQUEST_MARKER);
  if (marker !== -1) return text.slice(marker + REQUEST_MARKER.length).trim() || null;
  return isInjectedText(text) ? null : text;
}

const ENV_CWD = /<cwd>([^<]+)<\/cwd>/;

function providerOf(modelProvider: unknown): string {
  return modelProvider === "ollama" || modelProvider === "oss" ? "ollama" : "openai";
}

/** The session's own id: `id` (or `session_id` in newer files), else the uuid in the file name. */
function rawIdOf(meta: Json | null, path: string): string {
  const fromMeta = str(meta?.id) ?? str(meta?.session_id);
  if (fromMeta) return fromMeta;
  const match = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i.exec(basename(path));
  return match ? match[1]! : basename(path).replace(/\.jsonl?$/, "");
}

function parentOf(meta: Json | null): string | null {
  if (!meta) return null;
  const spawn = isObject(meta.source) && isObject(meta.source.subagent) && isObject(meta.source.subagent.thread_spawn) ? meta.source.subagent.thread_spawn : null;
  const parent = str(meta.forked_from_id) ?? str(meta.parent_thread_id) ?? str(spawn?.parent_thread_id);
  return parent ? namespacedId("codex", parent) : null;
}

/** The conversation state a pass over the lines builds. */
class CodexSession {
  meta: Json | null = null;
  model = "";
  cwd: string | null = null;
  firstTime: string | null = null;
  lastTime: string | null = null;
  threadName: string | null = null;
  firstUserText: string | null = null;
  readonly skipped = new Map<string, number>();
  readonly callNames = new Map<string, string>();
  open: MessageGroup | null = null;
  openIsAssistant = false;

  constructor(
    readonly path: string,
    readonly context: CodexContext,
  ) {}

  header(): SessionHeader {
    const meta = this.meta;
    const rawId = rawIdOf(meta, this.path);
    const created = timestamp(meta?.timestamp) ?? this.firstTime;
    return {
      id: namespacedId("codex", rawId),
      title: cleanTitle(this.context.titles.get(rawId)) ?? cleanTitle(this.threadName) ?? (this.firstUserText ? titleFromText(this.firstUserText) : null),
      model: this.model || str(meta?.model) || "",
      provider: providerOf(meta?.model_provider),
      cwd: this.cwd,
      createdAt: created,
      updatedAt: later(created, this.lastTime),
      parentId: parentOf(meta),
      metadataExtra: {
        imported_from: {
          tool: "codex",
          file: this.path,
          id: rawId,
          cwd: this.cwd,
          ...(meta
            ? {
                cli_version: meta.cli_version ?? null,
                originator: meta.originator ?? null,
                source: meta.source ?? null,
                model_provider: meta.model_provider ?? null,
                git: meta.git ?? null,
              }
            : {}),
        },
      },
    };
  }

  events = 0;
  rolledBack = 0;

  skip(kind: string): void {
    this.skipped.set(kind, (this.skipped.get(kind) ?? 0) + 1);
  }

  notes(): string[] {
    const notes = this.events > 0 ? [`skipped ${this.events} event_msg lines (they repeat the conversation for the UI)`] : [];
    if (this.rolledBack > 0) notes.push(`${this.rolledBack} lines of turns Codex rolled back kept with the message before them, not as messages`);
    if (this.skipped.size > 0) notes.push(`skipped lines of an unknown type: ${[...this.skipped].map(([kind, n]) => `${kind} (${n})`).join(", ")}`);
    return notes;
  }
}

/** Turns one line's object into records and messages. */
class CodexLineHandler {
  constructor(
    private readonly s: CodexSession,
    private readonly emitter: GroupEmitter,
  ) {}

  private async newGroup(role: string, assistant: boolean): Promise<MessageGroup> {
    if (this.s.open) await this.emitter.emit(this.s.open);
    const group = new MessageGroup("codex");
    group.add(role);
    this.emitter.opened(group);
    this.s.open = group;
    this.s.openIsAssistant = assistant;
    return group;
  }

  private attach(record: unknown, bytes: number): void {
    if (this.s.open) this.s.open.record(record, bytes);
    else this.emitter.addOpening(record, bytes);
  }

  async line(value: Json, bytes: number, first: boolean, rolledBack: boolean): Promise<void> {
    const s = this.s;
    const type = str(value.type);
    const time = timestamp(value.timestamp);
    if (time) {
      s.firstTime ??= time;
      s.lastTime = later(s.lastTime, time);
    }
    if (rolledBack && (type === "response_item" || type === "compacted" || (type !== null && RESPONSE_ITEM_TYPES.has(type)))) {
      // Kept, whole, with the message before the rollback; a call after it is a new reply.
      s.rolledBack++;
      this.attach(value, bytes);
      s.openIsAssistant = false;
      return;
    }
    if (type === "response_item" && isObject(value.payload)) return this.item(value.payload, bytes, (payload) => ({ ...value, payload }));
    if (type === "compacted" && isObject(value.payload)) return this.compacted(value, value.payload, bytes);
    if (type === "event_msg") {
      const payload = isObject(value.payload) ? value.payload : {};
      if (payload.type === "thread_name_updated") s.threadName = str(payload.thread_name) ?? s.threadName;
      s.events++;
      return;
    }
    if (type !== null && ATTACHED_LINE_TYPES.has(type)) {
      const payload = isObject(value.payload) ? value.payload : {};
      if (type === "session_meta" && !s.meta) this.setMeta(payload);
      if (type === "turn_context") {
        s.model = str(payload.model) ?? s.model;
        s.cwd ??= str(payload.cwd);
      }
      this.attach(value, bytes);
      return;
    }
    if (type === null && value.record_type !== undefined) return this.attach(value, bytes);
    if (type === null && first && str(value.id) !== null) {
      // The bare era's header line: {id, timestamp, instructions, git}.
      this.setMeta(value);
      this.attach(value, bytes);
      return;
    }
    if (type !== null && RESPONSE_ITEM_TYPES.has(type) && value.payload === undefined) return this.item(value, bytes, (item) => item);
    s.skip(type ?? "untyped");
  }

  setMeta(payload: Json): void {
    this.s.meta = payload;
    this.s.cwd ??= str(payload.cwd);
    this.s.model ||= str(payload.model) ?? "";
  }

  /** A response item: `wrap` puts the (pointer-carrying) item back in its line. */
  async item(item: Json, bytes: number, wrap: (item: Json) => Json): Promise<void> {
    const s = this.s;
    switch (item.type) {
      case "message": {
        const role = str(item.role) ?? "user";
        const group = await this.newGroup(role, role === "assistant");
        const content = this.content(group, 0, item.content);
        if (role === "user") this.noticeUserText(group.messages[0]!.content as string);
        group.record(wrap({ ...item, content }), bytes);
        return;
      }
      case "function_call": {
        const group = await this.callGroup();
        const id = str(item.call_id) ?? str(item.id) ?? "";
        const name = str(item.name) ?? "unknown_tool";
        const raw = typeof item.arguments === "string";
        const i = group.call(0, id, name, raw ? (item.arguments as string) : JSON.stringify(item.arguments ?? {}));
        s.callNames.set(id, name);
        const args = item.arguments === undefined ? {} : { arguments: group.callPointer(0, i, raw ? "arguments" : "input") };
        group.record(wrap({ ...item, name: group.callPointer(0, i, "name"), ...args }), bytes);
        return;
      }
      case "custom_tool_call": {
        if (typeof item.input !== "string") break;
        const group = await this.callGroup();
        const id = str(item.call_id) ?? "";
        const name = str(item.name) ?? "unknown_tool";
        const i = group.call(0, id, name, item.input);
        s.callNames.set(id, name);
        group.record(wrap({ ...item, name: group.callPointer(0, i, "name"), input: group.callPointer(0, i, "arguments") }), bytes);
        return;
      }
      case "local_shell_call": {
        const group = await this.callGroup();
        const id = str(item.call_id) ?? str(item.id) ?? "";
        const i = group.call(0, id, "local_shell", JSON.stringify(item.action ?? null));
        s.callNames.set(id, "local_shell");
        group.record(wrap({ ...item, action: group.callPointer(0, i, "input") }), bytes);
        return;
      }
      case "function_call_output":
      case "custom_tool_call_output": {
        const id = str(item.call_id);
        if (id === null) break;
        const group = await this.newGroup("tool", false);
        const callId = group.toolCallId(0, id);
        group.setName(0, s.callNames.get(id) ?? null);
        group.record(wrap({ ...item, call_id: callId, output: this.output(group, item.output) }), bytes);
        return;
      }
    }
    this.attach(wrap(item), bytes);
  }

  /** An assistant message to add a tool call to: the open reply, else a new (empty) one. */
  private async callGroup(): Promise<MessageGroup> {
    return this.s.open && this.s.openIsAssistant ? this.s.open : this.newGroup("assistant", true);
  }

  private async compacted(line: Json, payload: Json, bytes: number): Promise<void> {
    // A remote compaction writes no summary (`message: ""`; the model's summary is encrypted in
    // `replacement_history`): nothing to read, so no empty user message; the line stays a record.
    if (typeof payload.message !== "string" || payload.message.trim() === "") return this.attach(line, bytes);
    const group = await this.newGroup("user", false);
    const message = group.text(0, payload.message);
    group.record({ ...line, payload: { ...payload, message } }, bytes);
  }

  /** Text parts into message m's content; the parts keep pointers, images stay as they are. */
  private content(group: MessageGroup, m: number, content: unknown): unknown {
    if (typeof content === "string") return group.text(m, content);
    if (!Array.isArray(content)) return content;
    return content.map((part) => (isObject(part) && TEXT_TYPES.has(str(part.type) ?? "") && typeof part.text === "string" ? { ...part, text: group.text(m, part.text) } : part));
  }

  /** A tool output: a string, a list of content items, or (older files) `{content, success}`. */
  private output(group: MessageGroup, output: unknown): unknown {
    if (typeof output === "string" || Array.isArray(output)) return this.content(group, 0, output);
    if (isObject(output) && typeof output.content === "string") return { ...output, content: group.text(0, output.content) };
    group.messages[0]!.content = output === undefined ? "" : JSON.stringify(output);
    return output;
  }

  private noticeUserText(text: string): void {
    const s = this.s;
    if (s.cwd === null) s.cwd = ENV_CWD.exec(text)?.[1]?.trim() ?? null;
    if (s.firstUserText === null) s.firstUserText = typedText(text);
  }

  async finish(): Promise<void> {
    if (this.s.open) await this.emitter.emit(this.s.open);
    this.s.open = null;
  }
}

function outcome(s: CodexSession, emitter: GroupEmitter, consumed: number, sha256: string, torn: boolean, issues: ReadIssue[]): ReadOutcome {
  return { header: s.header(), messageCount: emitter.position, consumed, sha256, torn, issues, notes: s.notes() };
}

export async function readCodexRollout(input: ReaderInput, sink: ReaderSink, context: CodexContext): Promise<ReadOutcome> {
  const { file, previous } = input;
  const s = new CodexSession(file.path, context);
  // Known before the pass: a rollback in lines appended since the previous import also takes out
  // turns before its end, and the skipped part must count the messages that remain.
  const rollbacks = await findRollbacks(file);
  const emitter = new GroupEmitter(sink, () => s.header(), previous ? "until-crossing" : { keep: 0 });
  const handler = new CodexLineHandler(s, emitter);
  const issues: ReadIssue[] = [];
  const cross = (): void => {
    if (file.prefixStatus !== "intact") throw new PrefixChangedError();
    emitter.cross();
  };
  for await (const line of file.lines(previous)) {
    if (emitter.isSkipping && line.start >= previous!.size) cross();
    if (line.text === null) {
      issues.push({ line: line.number, reason: "not valid UTF-8" });
      continue;
    }
    if (line.text.trim() === "") continue;
    const parsed = parseJson(line.text);
    if (!parsed.ok || !isObject(parsed.value)) {
      issues.push({ line: line.number, reason: parsed.ok ? "not a JSON object" : parsed.reason });
      continue;
    }
    await handler.line(parsed.value, line.end - line.start, line.number === 1, isRolledBack(rollbacks, line.start));
  }
  if (emitter.isSkipping) cross();
  await handler.finish();
  await emitter.finish();
  return outcome(s, emitter, file.consumed, file.digest(), file.torn, issues);
}

/** The TypeScript CLI's `rollout-*.json`: `{session: {id, timestamp, instructions}, items: [...]}`. */
export async function readCodexJson(input: ReaderInput, sink: ReaderSink, context: CodexContext): Promise<ReadOutcome> {
  const { file } = input;
  const s = new CodexSession(file.path, context);
  const emitter = new GroupEmitter(sink, () => s.header(), { keep: 0 });
  const handler = new CodexLineHandler(s, emitter);
  const text = await file.text();
  const issues: ReadIssue[] = [];
  const parsed = text === null ? ({ ok: false, reason: "not valid UTF-8" } as const) : parseJson(text);
  if (!parsed.ok || !isObject(parsed.value) || !Array.isArray(parsed.value.items)) {
    issues.push({ line: 1, reason: parsed.ok ? 'not a Codex session (no "items" list)' : parsed.reason });
  } else {
    const { items, ...rest } = parsed.value;
    const session = isObject(rest.session) ? rest.session : null;
    if (session) handler.setMeta(session);
    // The document without its items is kept whole, with the first message: {session, …}.
    emitter.addOpening(rest, 0);
    for (const item of items) {
      if (isObject(item)) await handler.item(item, 0, (x) => x);
      else issues.push({ line: 1, reason: "an item that is not an object" });
    }
  }
  await handler.finish();
  await emitter.finish();
  return outcome(s, emitter, file.consumed, file.digest(), false, issues);
}

import { basename } from "node:path";
import { GroupEmitter } from "../emitter.js";
import { MessageGroup } from "../message-group.js";
import type { SourceFile } from "../source-file.js";
import type { ReaderInput, ReaderSink, ReadIssue, ReadOutcome, SessionHeader } from "../types.js";
import { cleanTitle, earlier, isObject, later, namespacedId, parseJson, str, timestamp, titleFromText, type Json } from "../values.js";
import { hasResult, recordMessages } from "./gemini-parts.js";

/**
 * gemini-cli sessions (`~/.gemini/tmp/<project>/chats/session-*.jsonl`; subagents in
 * `chats/<parent session>/<id>.jsonl`) and the older one-document `session-*.json` (checkpoints:
 * gemini-checkpoint.ts).
 *
 * A `.jsonl` file is a log that gemini-cli replays: a metadata line `{sessionId, projectHash, …}`,
 * message records `{id, type, content, toolCalls, …}` appended again under the same id whenever
 * they change (the last version counts, in the place the id first took), `{$set: {…}}` patches of
 * the metadata (a `messages` list in one replaces the conversation), and `{$rewindTo: id}`, which
 * drops that message and every later one. This reader replays it the same way. Superseded
 * versions of a record are not kept (gemini-cli itself never reads them); rewound messages are
 * kept, whole, with the message before the rewind point. `info`/`error`/`warning` records are kept
 * with the message they follow, not as messages.
 */

export interface GeminiContext {
  /** The project folder the session ran in (`.project_root` of its tmp dir), when known. */
  projectRoot: string | null;
  /** The tmp dir's name (a short project id, or a sha256 of the project path in older versions). */
  projectKey: string;
  /** A subagent's parent session id (the name of the folder its file is in). */
  parentSessionId: string | null;
  /** The file's modification time: the only time a checkpoint has. */
  modified: string;
}

/** Where a record's current version is: in its own line, or inside a larger one ($set, legacy). */
type Ref = { start: number; end: number; value: Json | null };

interface Entry {
  ref: Ref;
  /** Offset of the line that last changed this entry (or moved records onto it). */
  changedAt: number;
  /** Messages it makes (0: a note kept with the previous message). */
  count: number;
  /** Rewound records kept with this message. */
  kept: Ref[];
  typed: string | null;
  model: string | null;
  time: string | null;
}

function countOf(record: Json): number {
  if (record.type === "user") return 1;
  if (record.type === "gemini") return 1 + (Array.isArray(record.toolCalls) ? record.toolCalls.filter(hasResult).length : 0);
  return 0;
}

function partsText(content: unknown): string {
  if (typeof content === "string") return content;
  const parts = Array.isArray(content) ? content : [content];
  return parts.map((p) => (isObject(p) && typeof p.text === "string" ? p.text : "")).join("");
}

/** The log replayed: the final conversation and what the previous import saw of it. */
class GeminiLog {
  readonly entries = new Map<string, Entry>();
  /** Rewound records with no message before them (kept with the first one). */
  readonly head: Ref[] = [];
  headChangedAt = -1;
  metadata: Json = {};
  firstTime: string | null = null;
  lastTime: string | null = null;
  readonly issues: ReadIssue[] = [];
  readonly skipped = new Map<string, number>();
  dropped = 0;
  rewound = 0;

  private put(record: Json, ref: Ref): void {
    const id = record.id as string;
    const time = timestamp(record.timestamp);
    if (time) {
      this.firstTime = earlier(this.firstTime, time);
      this.lastTime = later(this.lastTime, time);
    }
    const text = record.type === "user" ? partsText(record.content) : "";
    const previous = this.entries.get(id);
    if (previous) this.dropped++;
    this.entries.set(id, {
      ref,
      changedAt: ref.start,
      count: countOf(record),
      kept: previous?.kept ?? [],
      typed: text.trim() !== "" && !text.trimStart().startsWith("/") ? text.slice(0, 300) : null,
      model: record.type === "gemini" ? str(record.model) : null,
      time,
    });
  }

  private rewind(id: string, ref: Ref): void {
    const ids = [...this.entries.keys()];
    const from = ids.indexOf(id);
    const gone = from === -1 ? ids : ids.slice(from);
    const anchor = from > 0 ? this.entries.get(ids[from - 1]!)! : null;
    const kept = anchor ? anchor.kept : this.head;
    for (const goneId of gone) {
      const entry = this.entries.get(goneId)!;
      kept.push(entry.ref, ...entry.kept);
      this.entries.delete(goneId);
      this.rewound++;
    }
    kept.push(ref);
    if (anchor) anchor.changedAt = ref.start;
    else this.headChangedAt = ref.start;
  }

  private setMetadata(patch: Json): void {
    const { messages: _messages, ...rest } = patch;
    this.metadata = { ...this.metadata, ...rest };
  }

  /** A checkpoint list replaces the conversation; rewound records already kept stay kept. */
  private replaceAll(messages: readonly unknown[], line: { start: number; end: number }): void {
    for (const entry of this.entries.values()) this.head.push(...entry.kept);
    this.dropped += this.entries.size;
    this.entries.clear();
    this.headChangedAt = line.start;
    for (const message of messages) {
      if (isObject(message) && typeof message.id === "string") this.put(message, { ...line, value: message });
    }
  }

  /** A whole conversation record (the older one-document format). */
  document(value: Json): void {
    this.setMetadata(value);
    this.replaceAll(value.messages as unknown[], { start: 0, end: 0 });
  }

  add(value: Json, line: { start: number; end: number }): void {
    if (typeof value.$rewindTo === "string") return this.rewind(value.$rewindTo, { ...line, value: null });
    if (typeof value.id === "string") return this.put(value, { ...line, value: null });
    if (isObject(value.$set)) {
      this.setMetadata(value.$set);
      if (Array.isArray(value.$set.messages)) this.replaceAll(value.$set.messages, line);
      return;
    }
    if (typeof value.sessionId === "string") {
      this.setMetadata(value);
      if (Array.isArray(value.messages)) this.replaceAll(value.messages, line);
      return;
    }
    const kind = Object.keys(value).slice(0, 3).join(",") || "empty";
    this.skipped.set(kind, (this.skipped.get(kind) ?? 0) + 1);
  }

  updatedAt(): string | null {
    return later(timestamp(this.metadata.lastUpdated), this.lastTime);
  }

  /** The position of the first message that changed after `size` bytes (the previous import's end). */
  firstChanged(size: number): number {
    if (this.headChangedAt >= size) return 0;
    let position = 0;
    let groupStart = 0;
    for (const entry of this.entries.values()) {
      if (entry.count > 0) groupStart = position;
      if (entry.changedAt >= size) return groupStart;
      position += entry.count;
    }
    return position;
  }

  notes(): string[] {
    const notes: string[] = [];
    if (this.rewound > 0) notes.push(`${this.rewound} rewound messages kept with the message before the rewind, not as messages`);
    if (this.skipped.size > 0) notes.push(`skipped ${[...this.skipped].map(([k, n]) => `${n} lines of an unknown kind (${k})`).join(", ")}`);
    return notes;
  }
}

async function load(file: SourceFile, ref: Ref): Promise<Json> {
  if (ref.value) return ref.value;
  const text = (await file.read(ref.start, ref.end)).toString("utf8").replace(/\r?\n$/, "");
  return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as Json;
}

function headerOf(log: GeminiLog, file: SourceFile, context: GeminiContext): SessionHeader {
  const sessionId = str(log.metadata.sessionId) ?? basename(file.path).replace(/\.jsonl?$/, "");
  let typed: string | null = null;
  let model = "";
  for (const entry of log.entries.values()) {
    typed ??= entry.typed;
    if (entry.model) model = entry.model;
  }
  return {
    id: namespacedId("gemini", sessionId),
    title: cleanTitle(log.metadata.summary) ?? (typed ? titleFromText(typed) : null),
    model,
    provider: "google",
    cwd: context.projectRoot,
    createdAt: timestamp(log.metadata.startTime) ?? log.firstTime,
    updatedAt: log.updatedAt(),
    parentId: context.parentSessionId ? namespacedId("gemini", context.parentSessionId) : null,
    metadataExtra: {
      imported_from: { tool: "gemini", file: file.path, id: sessionId, project: context.projectKey, cwd: context.projectRoot },
      gemini: log.metadata,
    },
  };
}

async function emitLog(log: GeminiLog, file: SourceFile, emitter: GroupEmitter, keep: number): Promise<void> {
  let open: MessageGroup | null = null;
  const attach = async (refs: readonly Ref[]): Promise<void> => {
    for (const ref of refs) {
      const record = await load(file, ref);
      if (open) open.record(record, ref.value ? 0 : ref.end - ref.start);
      else emitter.addOpening(record, ref.value ? 0 : ref.end - ref.start);
    }
  };
  if (keep === 0) await attach(log.head);
  let position = 0;
  let group = 0;
  for (const entry of log.entries.values()) {
    // A note belongs to the group of the message before it.
    if (entry.count > 0) group = position;
    position += entry.count;
    if (group < keep) continue;
    const record = await load(file, entry.ref);
    const bytes = entry.ref.value ? 0 : entry.ref.end - entry.ref.start;
    if (entry.count === 0) {
      if (open) open.record(record, bytes);
      else emitter.addOpening(record, bytes);
    } else {
      if (open) await emitter.emit(open);
      const next: MessageGroup = new MessageGroup("gemini");
      emitter.opened(next);
      next.record(recordMessages(next, record), bytes);
      open = next;
    }
    await attach(entry.kept);
  }
  if (open) await emitter.emit(open);
}

export async function readGeminiLog(input: ReaderInput, sink: ReaderSink, context: GeminiContext): Promise<ReadOutcome> {
  const { file, previous } = input;
  const log = new GeminiLog();
  for await (const line of file.lines(previous)) {
    if (line.text === null) {
      log.issues.push({ line: line.number, reason: "not valid UTF-8" });
      continue;
    }
    if (line.text.trim() === "") continue;
    const parsed = parseJson(line.text);
    if (!parsed.ok || !isObject(parsed.value)) {
      log.issues.push({ line: line.number, reason: parsed.ok ? "not a JSON object" : parsed.reason });
      continue;
    }
    log.add(parsed.value, line);
  }
  const sha256 = file.digest();
  const intact = previous !== null && file.prefixStatus === "intact";
  const keep = intact ? log.firstChanged(previous.size) : 0;
  const header = headerOf(log, file, context);
  const emitter = new GroupEmitter(sink, () => header, { keep });
  await emitLog(log, file, emitter, keep);
  await emitter.finish();
  return { header, messageCount: emitter.position, consumed: file.consumed, sha256, torn: file.torn, issues: log.issues, notes: log.notes() };
}

/** The older one-document `session-*.json`: `{sessionId, projectHash, startTime, lastUpdated, messages}`. */
export async function readGeminiJson(input: ReaderInput, sink: ReaderSink, context: GeminiContext): Promise<ReadOutcome> {
  const { file } = input;
  const log = new GeminiLog();
  const text = await file.text();
  const parsed = text === null ? ({ ok: false, reason: "not valid UTF-8" } as const) : parseJson(text);
  if (!parsed.ok || !isObject(parsed.value) || !Array.isArray(parsed.value.messages)) {
    log.issues.push({ line: 1, reason: parsed.ok ? 'not a gemini-cli session (no "messages" list)' : parsed.reason });
  } else {
    log.document(parsed.value);
  }
  const header = headerOf(log, file, context);
  const emitter = new GroupEmitter(sink, () => header, { keep: 0 });
  await emitLog(log, file, emitter, 0);
  await emitter.finish();
  return { header, messageCount: emitter.position, consumed: file.consumed, sha256: file.digest(), torn: false, issues: log.issues, notes: log.notes() };
}

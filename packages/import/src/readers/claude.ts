import { basename, dirname } from "node:path";
import { GroupEmitter } from "../emitter.js";
import { MessageGroup } from "../message-group.js";
import type { SourceFile } from "../source-file.js";
import type { ReaderInput, ReaderSink, ReadOutcome, SessionHeader } from "../types.js";
import { cleanTitle, isObject, namespacedId, parseJson, titleFromText, type Json } from "../values.js";
import { ClaudeIndex, firstChanged, isToolResult, layout, type Node } from "./claude-index.js";

/**
 * Claude Code transcripts (`~/.claude/projects/<encoded cwd>/<session>.jsonl`, subagents in
 * `<session>/subagents/agent-<id>.jsonl` or, older, `agent-<id>.jsonl` beside the sessions).
 *
 * A file is a DAG, not a list: every line names its parent (`parentUuid`); a rewind or an edited
 * prompt starts a second branch; a compaction starts a new root whose `logicalParentUuid` points
 * back. The conversation is the path from the newest leaf back to the root, crossing compaction
 * boundaries. Two passes: the first indexes every line (uuid, parent, byte range: no content is
 * kept), the second reads the lines of the path again and turns them into messages. Lines sharing
 * `message.id` (one reply streamed as several lines) become one message; a uuid seen again (a
 * replay) is the line first seen. Every line that is not on the path (metadata, titles, progress,
 * abandoned branches, sidechains, replays) is kept, whole, with the message it follows in the file.
 */

export interface ClaudeContext {
  /** A subagent transcript: its lines are all sidechain lines and its parent is the session. */
  agent: { agentId: string; meta: Json | null } | null;
}

/** Turns a path line into messages of a group; returns its record with pointers. */
class ClaudeMessages {
  constructor(private readonly toolNames: ReadonlyMap<string, string>) {}

  user(group: MessageGroup, value: Json, message: Json): Json {
    const content = message.content;
    if (!Array.isArray(content)) {
      const m = group.add("user");
      return typeof content === "string" ? { ...value, message: { ...message, content: group.text(m, content) } } : value;
    }
    const mapped: unknown[] = content.slice();
    content.forEach((block, b) => {
      if (!isToolResult(block)) return;
      const m = group.add("tool");
      const id = block.tool_use_id as string;
      group.setName(m, this.toolNames.get(id) ?? null);
      mapped[b] = { ...block, tool_use_id: group.toolCallId(m, id), ...("content" in block ? { content: this.parts(group, m, block.content) } : {}) };
    });
    if (group.size < content.length || content.length === 0) {
      const m = group.add("user");
      content.forEach((block, b) => {
        if (!isToolResult(block)) mapped[b] = this.part(group, m, block);
      });
    }
    return { ...value, message: { ...message, content: mapped } };
  }

  assistant(group: MessageGroup, value: Json, message: Json): Json {
    const content = message.content;
    if (typeof content === "string") return { ...value, message: { ...message, content: group.text(0, content) } };
    if (!Array.isArray(content)) return value;
    const mapped = content.map((block) => {
      if (isObject(block) && block.type === "tool_use" && typeof block.id === "string" && typeof block.name === "string") {
        const i = group.call(0, block.id, block.name, JSON.stringify(block.input ?? {}));
        return { ...block, name: group.callPointer(0, i, "name"), ...("input" in block ? { input: group.callPointer(0, i, "input") } : {}) };
      }
      return this.part(group, 0, block);
    });
    return { ...value, message: { ...message, content: mapped } };
  }

  /** Text goes into message m's content; any other block (image, thinking, document) stays in the record. */
  private part(group: MessageGroup, m: number, block: unknown): unknown {
    return isObject(block) && block.type === "text" && typeof block.text === "string" ? { ...block, text: group.text(m, block.text) } : block;
  }

  private parts(group: MessageGroup, m: number, content: unknown): unknown {
    if (typeof content === "string") return group.text(m, content);
    return Array.isArray(content) ? content.map((block) => this.part(group, m, block)) : content;
  }
}

/** Files up to this size keep their parsed lines between the two passes. */
const KEEP_PARSED_BELOW = 2 * 1024 * 1024;

async function readJson(file: SourceFile, node: Node): Promise<Json> {
  if (node.value) return node.value;
  const text = (await file.read(node.start, node.end)).toString("utf8").replace(/\r?\n$/, "");
  return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as Json;
}

function headerOf(index: ClaudeIndex, path: readonly number[], file: SourceFile, context: ClaudeContext): SessionHeader {
  const nodes = index.nodes;
  const stem = basename(file.path).replace(/\.jsonl$/, "");
  const onPath = new Set(path.map((i) => nodes[i]!.uuid));
  const pathSession = path.length > 0 ? nodes[path[0]!]!.sessionId : null;
  const sessionId = context.agent ? (pathSession ?? basename(dirname(dirname(file.path)))) : stem;
  let model = "";
  let typed: string | null = null;
  for (const i of path) {
    const n = nodes[i]!;
    if (n.model) model = n.model;
    typed ??= n.typed;
  }
  const summary = [...index.summaries].reverse().find((s) => s.leafUuid !== null && onPath.has(s.leafUuid)) ?? index.summaries.at(-1);
  const agentTitle = context.agent && isObject(context.agent.meta) ? cleanTitle(context.agent.meta.description) : null;
  let parentId: string | null = null;
  if (context.agent) parentId = namespacedId("claude", sessionId);
  else if (pathSession && pathSession !== stem) parentId = namespacedId("claude", pathSession);
  return {
    id: context.agent ? namespacedId("claude", `${sessionId}.agent-${context.agent.agentId}`) : namespacedId("claude", stem),
    title: cleanTitle(index.customTitle) ?? cleanTitle(index.aiTitle) ?? cleanTitle(summary?.summary) ?? agentTitle ?? (typed ? titleFromText(typed) : null),
    model,
    provider: "anthropic",
    cwd: index.cwd,
    createdAt: index.firstTime,
    updatedAt: index.lastTime,
    parentId,
    metadataExtra: {
      imported_from: {
        tool: "claude",
        file: file.path,
        id: context.agent ? context.agent.agentId : stem,
        session_id: sessionId,
        cwd: index.cwd,
        git_branch: index.gitBranch,
        version: index.version,
        ...(context.agent ? { agent: context.agent.meta } : {}),
      },
    },
  };
}

function notesOf(index: ClaudeIndex, path: readonly number[], sidechain: boolean): string[] {
  const onPath = new Set(path);
  let branch = 0;
  let side = 0;
  index.nodes.forEach((n, i) => {
    if (n.kind === "other" || onPath.has(i) || (n.uuid !== null && index.byUuid.get(n.uuid) !== i)) return;
    if (n.sidechain !== sidechain) side++;
    else branch++;
  });
  const notes: string[] = [];
  if (branch > 0) notes.push(`${branch} lines of abandoned branches (rewinds, edited prompts) kept with the messages they follow, not as messages`);
  if (side > 0) notes.push(`${side} sidechain (subagent) lines kept with the messages they follow, not as messages`);
  if (index.replays > 0) notes.push(`${index.replays} replayed lines (a uuid seen before) kept, not repeated as messages`);
  return notes;
}

export async function readClaudeTranscript(input: ReaderInput, sink: ReaderSink, context: ClaudeContext): Promise<ReadOutcome> {
  const { file, previous } = input;
  const index = new ClaudeIndex();
  const small = file.size <= KEEP_PARSED_BELOW;
  for await (const line of file.lines(previous)) {
    if (line.text === null) {
      index.issues.push({ line: line.number, reason: "not valid UTF-8" });
      continue;
    }
    if (line.text.trim() === "") continue;
    const parsed = parseJson(line.text);
    if (!parsed.ok || !isObject(parsed.value)) {
      index.issues.push({ line: line.number, reason: parsed.ok ? "not a JSON object" : parsed.reason });
      continue;
    }
    index.add(parsed.value, line.start, line.end, small);
  }
  const sha256 = file.digest();
  const sidechain = context.agent !== null;
  const path = index.path(Infinity, sidechain);
  const { groupStart } = layout(index.nodes, path);
  const start = previous && file.prefixStatus === "intact" ? { keep: firstChanged(index, path, previous.size, sidechain) } : { keep: 0 };
  const header = headerOf(index, path, file, context);
  const emitter = new GroupEmitter(sink, () => header, start);

  // Lines off the path go with the path line before them in the file (or before the first one).
  const byOffset = path.map((i, k) => ({ start: index.nodes[i]!.start, k })).sort((a, b) => a.start - b.start);
  const attached = new Map<number, number[]>();
  const onPath = new Set(path);
  let cursor = -1;
  index.nodes.forEach((n, i) => {
    if (onPath.has(i)) return;
    while (cursor + 1 < byOffset.length && byOffset[cursor + 1]!.start < n.start) cursor++;
    const k = cursor === -1 ? -1 : byOffset[cursor]!.k;
    const list = attached.get(k) ?? [];
    list.push(i);
    attached.set(k, list);
  });

  const build = new ClaudeMessages(index.toolNames);
  let open: MessageGroup | null = null;
  let openReply: string | null = null;
  const keep = (record: unknown, bytes: number): void => {
    if (open) open.record(record, bytes);
    else emitter.addOpening(record, bytes);
  };
  const attachFor = async (k: number): Promise<void> => {
    for (const i of attached.get(k) ?? []) {
      const n = index.nodes[i]!;
      keep(await readJson(file, n), n.end - n.start);
    }
  };
  if (start.keep === 0) await attachFor(-1);
  for (let k = 0; k < path.length; k++) {
    if (groupStart[k]! < start.keep) continue;
    const n = index.nodes[path[k]!]!;
    const bytes = n.end - n.start;
    const value = await readJson(file, n);
    const message = isObject(value.message) ? value.message : {};
    if (n.kind === "other") keep(value, bytes);
    else if (n.kind === "assistant" && open !== null && openReply !== null && n.messageId === openReply) {
      open.record(build.assistant(open, value, message), bytes);
    } else {
      if (open) await emitter.emit(open);
      const group: MessageGroup = new MessageGroup("claude");
      emitter.opened(group);
      if (n.kind === "assistant") group.add("assistant");
      group.record(n.kind === "user" ? build.user(group, value, message) : build.assistant(group, value, message), bytes);
      open = group;
      openReply = n.kind === "assistant" ? n.messageId : null;
    }
    await attachFor(k);
  }
  if (open) await emitter.emit(open);
  await emitter.finish();
  return {
    header,
    messageCount: emitter.position,
    consumed: file.consumed,
    sha256,
    torn: file.torn,
    issues: index.issues,
    notes: notesOf(index, path, sidechain),
  };
}

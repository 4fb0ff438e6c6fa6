import type { ReadIssue } from "../types.js";
import { earlier, isObject, later, str, timestamp, type Json } from "../values.js";

/**
 * The first pass over a Claude Code transcript: every line's place in the DAG (uuid, parent, byte
 * range, how many messages it makes) and what the file says about the session as a whole. No
 * message content is kept, so memory grows with the number of lines, not their size.
 */

export type Kind = "user" | "assistant" | "other";

export interface Node {
  start: number;
  end: number;
  kind: Kind;
  uuid: string | null;
  /** undefined: the line has no parentUuid at all (older or hand-made files: the previous line is its parent). */
  parent: string | null | undefined;
  logicalParent: string | null;
  sidechain: boolean;
  /** The API message id of an assistant line: lines sharing it are one reply. */
  messageId: string | null;
  /** The tool_use ids a user line answers (its tool_result blocks). */
  resultIds: readonly string[];
  /** Messages this line makes when it is on the path. */
  count: number;
  /** The nearest earlier user/assistant line of the same chain (the implicit parent). */
  previous: number;
  sessionId: string | null;
  model: string | null;
  /** For the title: the text of a user line a person typed (cut short). */
  typed: string | null;
  /** The parsed line, kept only for small files (the second pass then does not parse it again). */
  value: Json | null;
}

export const isToolResult = (block: unknown): block is Json => isObject(block) && block.type === "tool_result" && typeof block.tool_use_id === "string";

const NO_RESULTS: readonly string[] = [];

function resultIdsOf(content: unknown): readonly string[] {
  if (!Array.isArray(content)) return NO_RESULTS;
  const ids = content.filter(isToolResult).map((b) => b.tool_use_id as string);
  return ids.length === 0 ? NO_RESULTS : ids;
}

/** How many messages a user line makes: one per tool result (`resultIds`), plus one for the rest (or for nothing). */
function userMessageCount(content: unknown, resultIds: readonly string[]): number {
  if (!Array.isArray(content)) return 1;
  return resultIds.length + (resultIds.length < content.length || content.length === 0 ? 1 : 0);
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((b) => (isObject(b) && b.type === "text" && typeof b.text === "string" ? b.text : "")).join(" ");
}

/** Text Claude Code injects as user messages (command echoes, reminders, caveats): not a title. */
function isInjected(text: string): boolean {
  const t = text.trimStart();
  return t === "" || t.startsWith("<") || t.startsWith("Caveat:");
}

/** The index of every line, and what the file says about the session as a whole. */
export class ClaudeIndex {
  readonly nodes: Node[] = [];
  readonly byUuid = new Map<string, number>();
  readonly toolNames = new Map<string, string>();
  readonly issues: ReadIssue[] = [];
  replays = 0;
  customTitle: string | null = null;
  aiTitle: string | null = null;
  summaries: { summary: string; leafUuid: string | null }[] = [];
  cwd: string | null = null;
  gitBranch: string | null = null;
  version: string | null = null;
  firstTime: string | null = null;
  lastTime: string | null = null;
  private lastConversational = { main: -1, side: -1 };

  /** `keep`: hold on to the parsed line (small files only: memory must not grow with a big file). */
  add(value: Json, start: number, end: number, keep: boolean): void {
    const type = str(value.type);
    const time = timestamp(value.timestamp);
    if (time) {
      this.firstTime = earlier(this.firstTime, time);
      this.lastTime = later(this.lastTime, time);
    }
    this.cwd ??= str(value.cwd);
    this.gitBranch = str(value.gitBranch) ?? this.gitBranch;
    this.version = str(value.version) ?? this.version;
    if (type === "custom-title") this.customTitle = str(value.customTitle) ?? this.customTitle;
    if (type === "ai-title") this.aiTitle = str(value.aiTitle) ?? this.aiTitle;
    if (type === "summary" && typeof value.summary === "string") this.summaries.push({ summary: value.summary, leafUuid: str(value.leafUuid) });

    const message = isObject(value.message) ? value.message : null;
    const kind: Kind = (type === "user" || type === "assistant") && message ? type : "other";
    const sidechain = value.isSidechain === true;
    const uuid = str(value.uuid);
    const index = this.nodes.length;
    let typed: string | null = null;
    if (kind === "user") {
      const text = textOf(message!.content);
      if (value.isMeta !== true && value.isCompactSummary !== true && !isInjected(text)) typed = text.slice(0, 300);
    }
    if (kind === "assistant" && Array.isArray(message!.content)) {
      for (const block of message!.content) {
        if (isObject(block) && block.type === "tool_use" && typeof block.id === "string" && typeof block.name === "string") this.toolNames.set(block.id, block.name);
      }
    }
    const resultIds = kind === "user" ? resultIdsOf(message!.content) : NO_RESULTS;
    const chain = sidechain ? "side" : "main";
    this.nodes.push({
      start,
      end,
      kind,
      uuid,
      parent: value.parentUuid === undefined ? undefined : str(value.parentUuid),
      logicalParent: str(value.logicalParentUuid),
      sidechain,
      messageId: kind === "assistant" ? str(message!.id) : null,
      resultIds,
      count: kind === "user" ? userMessageCount(message!.content, resultIds) : kind === "assistant" ? 1 : 0,
      previous: this.lastConversational[chain],
      sessionId: str(value.sessionId),
      model: kind === "assistant" && message!.model !== "<synthetic>" ? str(message!.model) : null,
      typed,
      value: keep ? value : null,
    });
    if (kind !== "other") this.lastConversational[chain] = index;
    if (uuid !== null) {
      if (this.byUuid.has(uuid)) this.replays++;
      else this.byUuid.set(uuid, index);
    }
  }

  /** The conversation: root → newest leaf among the lines that end by `limit`. */
  path(limit: number, sidechain: boolean): number[] {
    let leaf = -1;
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const n = this.nodes[i]!;
      if (n.end <= limit && n.kind !== "other" && n.sidechain === sidechain && n.uuid !== null && this.byUuid.get(n.uuid) === i) {
        leaf = i;
        break;
      }
    }
    const path: number[] = [];
    const seen = new Set<number>();
    for (let i = leaf; i !== -1 && !seen.has(i); ) {
      seen.add(i);
      path.push(i);
      const n = this.nodes[i]!;
      if (n.parent === undefined) i = n.previous;
      else {
        // A compaction boundary is a new root that remembers the line before it.
        const parent = n.parent ?? n.logicalParent;
        i = parent === null ? -1 : (this.byUuid.get(parent) ?? -1);
      }
      if (i !== -1 && this.nodes[i]!.end > limit) i = -1;
    }
    return this.withParallelSiblings(path.reverse(), limit, sidechain);
  }

  /**
   * Claude Code writes each content block of a streamed reply as a line of its own (all with the
   * reply's `message.id`) and parents each tool result on the line of its own tool_use, so a reply
   * with parallel tool calls leaves sibling branches, and the walk from the leaf keeps only one.
   * As Claude Code does when it resumes a session (`recoverOrphanedParallelToolResults`), the
   * reply's other lines and the results that answer them go back in, in file order, right after
   * the reply's last line on the path. A result whose calls are all answered already (a replay
   * under a new uuid) stays off the path.
   */
  private withParallelSiblings(path: number[], limit: number, sidechain: boolean): number[] {
    const nodes = this.nodes;
    const lastOfReply = new Map<string, number>();
    for (const i of path) {
      const n = nodes[i]!;
      if (n.kind === "assistant" && n.messageId !== null) lastOfReply.set(n.messageId, i);
    }
    if (lastOfReply.size === 0) return path;
    const onPath = new Set(path);
    const answered = new Set(path.flatMap((i) => nodes[i]!.resultIds));
    const replyLines = new Map<string, number[]>();
    const resultsByParent = new Map<string, number[]>();
    nodes.forEach((n, i) => {
      if (n.end > limit || n.sidechain !== sidechain || n.uuid === null || this.byUuid.get(n.uuid) !== i) return;
      if (n.kind === "assistant" && n.messageId !== null && lastOfReply.has(n.messageId)) append(replyLines, n.messageId, i);
      else if (n.resultIds.length > 0 && typeof n.parent === "string") append(resultsByParent, n.parent, i);
    });
    const inserts = new Map<number, number[]>();
    for (const [messageId, anchor] of lastOfReply) {
      const lines = replyLines.get(messageId) ?? [];
      const siblings = lines.filter((i) => !onPath.has(i));
      const results = lines
        .flatMap((i) => resultsByParent.get(nodes[i]!.uuid!) ?? [])
        .filter((i) => !onPath.has(i) && nodes[i]!.resultIds.some((id) => !answered.has(id)))
        .sort((a, b) => a - b);
      if (siblings.length === 0 && results.length === 0) continue;
      for (const i of [...siblings, ...results]) onPath.add(i);
      for (const i of results) for (const id of nodes[i]!.resultIds) answered.add(id);
      inserts.set(anchor, [...siblings, ...results]);
    }
    if (inserts.size === 0) return path;
    return path.flatMap((i) => [i, ...(inserts.get(i) ?? [])]);
  }
}

function append(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Which group (by its first message's position) each path line lands in, and the message total. */
export function layout(nodes: readonly Node[], path: readonly number[]): { groupStart: number[]; total: number } {
  const groupStart: number[] = [];
  let position = 0;
  let open = -1;
  let openReply: string | null = null;
  for (const i of path) {
    const n = nodes[i]!;
    if (n.kind === "other" || (n.kind === "assistant" && openReply !== null && n.messageId === openReply)) {
      groupStart.push(Math.max(open, 0));
      continue;
    }
    open = position;
    position += n.count;
    openReply = n.kind === "assistant" ? n.messageId : null;
    groupStart.push(open);
  }
  return { groupStart, total: position };
}

const increasing = (nodes: readonly Node[], path: readonly number[]): boolean => path.every((i, k) => k === 0 || nodes[i]!.start > nodes[path[k - 1]!]!.start);

/**
 * Where the messages start to differ from what the previous import stored (it read the file up to
 * `previousSize`): the group of the last line both paths share. Everything before it is unchanged.
 */
export function firstChanged(index: ClaudeIndex, path: readonly number[], previousSize: number, sidechain: boolean): number {
  const old = index.path(previousSize, sidechain);
  let shared = 0;
  while (shared < old.length && shared < path.length && old[shared] === path[shared]) shared++;
  if (shared === 0 || !increasing(index.nodes, path) || !increasing(index.nodes, old)) return 0;
  return layout(index.nodes, path).groupStart[shared - 1]!;
}

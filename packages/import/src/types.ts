import type { Message } from "@victor/core";
import type { SourceFile } from "./source-file.js";

export type Tool = "claude" | "codex" | "gemini";

export const TOOLS: readonly Tool[] = ["claude", "codex", "gemini"];

export const TOOL_NAMES: Record<Tool, string> = { claude: "Claude Code", codex: "Codex CLI", gemini: "gemini-cli" };

/** What a reader knows of the session as a whole. */
export interface SessionHeader {
  /** Namespaced: `claude-…`, `codex-…`, `gemini-…`. */
  id: string;
  /** The tool's title (custom, generated, summary), else the first user text; null = let core derive it. */
  title: string | null;
  model: string;
  provider: string;
  /** The folder the session ran in, as the tool recorded it; null when it did not. */
  cwd: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  /** The session this one was forked or spawned from (namespaced id). */
  parentId: string | null;
  /** Session-level fields of the source that have no column: kept under the session's metadata. */
  metadataExtra: Record<string, unknown>;
}

/** A line (or document) that could not be read; the file is imported without it. */
export interface ReadIssue {
  line: number;
  reason: string;
}

export interface StartInfo {
  /** Messages before this position are unchanged since the previous import: not sent again. */
  keep: number;
  /** The header as known so far (cwd and id are final; title, model and times may still change). */
  header: SessionHeader;
  /** The read ended without any message: the file holds no conversation (yet). */
  empty: boolean;
}

/** Where a reader sends its output: the runner's session writer (or a collector in tests). */
export interface ReaderSink {
  /** Called once, before the first message (and at the end when there is none). */
  start(info: StartInfo): Promise<void>;
  /** The messages from position `keep` on, in order; `bytes` = source bytes behind it. */
  message(message: Message, bytes: number): Promise<void>;
}

export interface ReadOutcome {
  header: SessionHeader;
  /** Messages in the session after this read (kept + sent). */
  messageCount: number;
  /** Bytes read up to the end of the last complete line, and their salted sha256. */
  consumed: number;
  sha256: string;
  torn: boolean;
  issues: ReadIssue[];
  /** Things a user may want to know (kept abandoned branches, skipped line kinds, …). */
  notes: string[];
}

export interface ReaderInput {
  file: SourceFile;
  /** The previous import's consumed size and hash, when its result is stored; null = read it all. */
  previous: { size: number; sha256: string } | null;
}

/** Thrown by a reader that finds, part way, that the file's start changed: read it again in full. */
export class PrefixChangedError extends Error {
  constructor() {
    super("the file's start changed since the previous import");
  }
}

/** `victor import`'s format version per tool: part of every ledger hash, so a new reader re-reads. */
// 2: Codex thread rollbacks applied, remote compactions make no empty message, gemini thought parts not in the reply.
const READER_VERSION = 2;

export function hashSalt(tool: Tool): string {
  return `victor-import/${tool}/${READER_VERSION}\n`;
}

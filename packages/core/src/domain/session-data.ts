import type { Conversation, Message, SaveSessionInput, Session, SessionMetadata, SessionSummary } from "./types.js";

/** Session-level state that has no column of its own: the JSON of `sessions.data`, on every engine. */
export interface SessionDataColumn {
  conversation?: Record<string, unknown>;
  conversation_state?: unknown;
  tool_selection_stats?: unknown;
  tags?: string[];
  title_is_custom?: boolean;
  extra?: Record<string, unknown>;
  metadata_extra?: Record<string, unknown>;
}

/** The conversation's fields other than messages (system_prompt, max_history, …). */
export function conversationFields(conversation: Conversation): Record<string, unknown> {
  const { messages: _messages, ...fields } = conversation;
  return fields;
}

export function buildDataColumn(input: SaveSessionInput, titleIsCustom: boolean, previous: SessionDataColumn | null): SessionDataColumn {
  const data: SessionDataColumn = {
    conversation: conversationFields(input.conversation),
    conversation_state: input.conversationState ?? null,
    tool_selection_stats: input.toolSelectionStats ?? null,
    tags: input.tags ?? previous?.tags ?? [],
    title_is_custom: titleIsCustom,
  };
  const extra = input.extra ?? previous?.extra;
  const metadataExtra = input.metadataExtra ?? previous?.metadata_extra;
  if (extra && Object.keys(extra).length > 0) data.extra = extra;
  if (metadataExtra && Object.keys(metadataExtra).length > 0) data.metadata_extra = metadataExtra;
  return data;
}

export interface SessionRowLike {
  id: string;
  name: string;
  model: string;
  provider: string;
  profile: string;
  data: SessionDataColumn;
  created_at: string;
  updated_at: string;
  message_count: number;
  revision: number;
  parent_id: string | null;
}

export function buildEnvelope(row: SessionRowLike, messages: Message[]): Session {
  const data = row.data;
  const metadata: SessionMetadata = {
    ...data.metadata_extra,
    session_id: row.id,
    created_at: row.created_at,
    updated_at: row.updated_at,
    model: row.model,
    provider: row.provider,
    profile: row.profile,
    message_count: row.message_count,
    title: row.name,
    tags: data.tags ?? [],
    title_is_custom: data.title_is_custom ?? false,
    revision: row.revision,
    parent_id: row.parent_id,
  };
  return {
    ...data.extra,
    metadata,
    conversation: { ...data.conversation, messages },
    conversation_state: data.conversation_state ?? null,
    tool_selection_stats: data.tool_selection_stats ?? null,
  };
}

export interface SummaryRow {
  id: string;
  name: string;
  model: string;
  provider: string;
  profile: string;
  message_count: number;
  created_at: string;
  updated_at: string;
  parent_id: string | null;
  revision: number;
  tags: string | null;
  preview_count: number | null;
}

export function toSummary(row: SummaryRow): SessionSummary {
  return {
    id: row.id,
    title: row.name,
    model: row.model,
    provider: row.provider,
    profile: row.profile,
    messageCount: row.message_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    tags: row.tags ? (JSON.parse(row.tags) as string[]) : [],
    parentId: row.parent_id,
    revision: row.revision,
    previewCount: row.preview_count ?? 0,
  };
}

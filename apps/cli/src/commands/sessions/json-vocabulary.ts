import type { ImportItemResult, SearchResult, SessionSummary } from "@victor/core";

/**
 * Every `--json` output speaks one snake_case vocabulary: the keys the Python Victor's
 * `sessions --json` printed (session_id, title, message_count, preview_count, created_at, …), so
 * scripts written against it keep working. Extra keys are fine; renamed ones are not.
 */
export function toJsonSummary(summary: SessionSummary | SearchResult): Record<string, unknown> {
  const json: Record<string, unknown> = {
    session_id: summary.id,
    title: summary.title,
    model: summary.model,
    provider: summary.provider,
    profile: summary.profile,
    created_at: summary.createdAt,
    updated_at: summary.updatedAt,
    message_count: summary.messageCount,
    preview_count: summary.previewCount ?? 0,
    tags: summary.tags,
    parent_id: summary.parentId,
    fork_point: summary.forkPoint,
    revision: summary.revision,
  };
  // A server's sessions say where they belong and who wrote them (absent in a file).
  if (summary.project !== undefined) json.project = summary.project;
  if (summary.owner !== undefined) json.owner = summary.owner;
  if (summary.machine !== undefined) json.machine = summary.machine;
  if (summary.shared !== undefined) json.shared = summary.shared;
  if ("snippet" in summary) {
    json.snippet = summary.snippet;
    json.match_position = summary.matchPosition;
    json.match_in_context = summary.matchInContext;
  }
  return json;
}

export function toJsonImportResult(result: ImportItemResult): Record<string, unknown> {
  return { requested_id: result.requestedId, session_id: result.sessionId, status: result.status, ...(result.existing ? { existing_session_id: result.existing.sessionId } : {}) };
}

export function toJsonFork(result: { sessionId: string; parentId: string; title: string; messageCount: number }): Record<string, unknown> {
  return { session_id: result.sessionId, parent_id: result.parentId, fork_point: result.messageCount, title: result.title, message_count: result.messageCount };
}

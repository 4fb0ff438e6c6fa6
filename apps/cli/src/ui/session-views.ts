import type { SessionSummary } from "@victor/core";
import type { Colors } from "./colors.js";
import { formatTimestamp, truncate } from "./format.js";
import { renderTable } from "./table.js";

/** The sessions table of `/sessions` and `victor sessions list`: ID, Title, Model, Provider, Messages, Created. */
export function renderSessionsTable(c: Colors, sessions: readonly SessionSummary[]): string {
  return renderTable(
    c,
    ["ID", "Title", "Model", "Provider", "Messages", "Created"],
    sessions.map((s) => [s.id, truncate(s.title, 50), s.model || "-", s.provider || "-", s.messageCount, formatTimestamp(s.createdAt)]),
  );
}

export const NO_SESSIONS = "No saved sessions found";

import type { SearchResult, SessionSummary } from "@victor/core";
import type { Colors } from "./colors.js";
import { formatTimestamp, truncate } from "./format.js";
import { renderTable } from "./table.js";
import { terminalWidth } from "./width.js";

/** The sessions table of `/sessions` and `victor sessions list`: ID, Title, Model, Provider, Messages, Created. */
export function renderSessionsTable(c: Colors, sessions: readonly SessionSummary[], width = terminalWidth()): string {
  return renderTable(
    c,
    ["ID", "Title", "Model", "Provider", "Messages", "Created"],
    sessions.map((s) => [s.id, truncate(s.title, 50), s.model || "-", s.provider || "-", s.messageCount, formatTimestamp(s.createdAt)]),
    // Model and provider give way first; the title keeps the most room.
    { width, shrink: [{ column: 2, min: 12 }, { column: 3, min: 10 }, { column: 1, min: 16 }, { column: 2, min: 6 }, { column: 3, min: 6 }, { column: 1, min: 5 }] },
  );
}

export const NO_SESSIONS = "No saved sessions found";

/** The results table of `victor sessions search`: the snippet shows why each session matched. */
export function renderSearchTable(c: Colors, results: readonly SearchResult[], width = terminalWidth()): string {
  return renderTable(
    c,
    ["ID", "Title", "Model", "Messages", "Updated", "Match"],
    results.map((r) => [r.id, truncate(r.title, 40), r.model || "-", r.messageCount, formatTimestamp(r.updatedAt), truncate(r.snippet.replace(/\s+/g, " "), 60)]),
    { width, shrink: [{ column: 5, min: 24 }, { column: 2, min: 10 }, { column: 1, min: 12 }, { column: 5, min: 12 }, { column: 2, min: 6 }, { column: 1, min: 5 }] },
  );
}

/** Footer lines under a sessions table. */
export function sessionsFooter(c: Colors, shown: number, total: number): string[] {
  const lines: string[] = [];
  if (total > shown) lines.push(c.dim(`Showing ${shown} of ${total} sessions (--limit N or --all for more).`));
  lines.push(c.dim("Resume a session:  victor chat --resume <id>   (a unique id prefix is enough)"));
  lines.push(c.dim("Show a session:    victor sessions show <id>"));
  return lines;
}

export const NO_SESSIONS_HINT = 'Save one from `victor chat` with /save "My Session".';

import type { SearchResult, SessionSummary } from "@victor/core";
import { displayWidth, renderTable, sanitizeLine, truncateToWidth, wrapToWidth, type Colors, type Column } from "@victor/terminal";
import { formatTimestamp, plural } from "./format.js";

/** Below this many columns tables give way to a stacked list: two lines per session. */
export const STACKED_BELOW = 60;

const modelOf = (s: { provider: string; model: string }): string => `${s.provider || "-"}:${s.model || "-"}`;

/**
 * A stacked entry: id and title on the first line, the rest indented below; each line fits the width.
 * The id is never cut (a cut id can be a prefix of several, and it is what the reader types): when
 * it leaves no room for the title, it stands alone (split over lines if longer than the width).
 */
function stacked(c: Colors, first: [id: string, title: string], second: string, width: number | undefined): string {
  const [id, title] = first.map(sanitizeLine) as [string, string];
  if (width === undefined) return [c.bold(`${id}  ${title}`), c.dim(`  ${sanitizeLine(second)}`)].join("\n");
  const titleRoom = width - displayWidth(id) - 2;
  const cut = (text: string): string => truncateToWidth(text, width);
  const lines = titleRoom >= 4 ? [c.bold(`${id}  ${truncateToWidth(title, titleRoom)}`)] : [...wrapToWidth(id, width).map((piece) => c.bold(piece)), cut(`  ${title}`)];
  lines.push(c.dim(cut(`  ${sanitizeLine(second)}`)));
  return lines.join("\n");
}

const SESSION_COLUMNS: Column[] = [
  // Never cut: an id is what the reader types, and a cut one can be the prefix of several (claude-5e55…).
  { header: "ID" },
  // The title gets the room; model and provider give way first (provider is implied by most models).
  { header: "Title", grow: true, min: 24 },
  { header: "Model", min: 12, dropOrder: 2 },
  { header: "Provider", min: 9, dropOrder: 1 },
  // Then the counts and the time, before the title is starved (a long id leaves less room).
  { header: "Messages", align: "right", dropOrder: 4 },
  { header: "Updated", dropOrder: 5 },
];

/** `--all-projects` of list and search: on a server, every project's sessions (a file holds one project's). */
export const ALL_PROJECTS_HELP = "On a PostgreSQL server: the sessions of every project, with a Project column (default: this project's)";

export interface TableOptions {
  /** A Project column (sessions of several projects, --all-projects). */
  projects?: boolean;
}

/** The Project column, after the id; it gives way before the title does. */
const PROJECT_COLUMN: Column = { header: "Project", min: 12, dropOrder: 3 };
const withProject = (columns: readonly Column[], rows: unknown[][], sessions: readonly SessionSummary[], on: boolean | undefined): [Column[], unknown[][]] =>
  on ? [[columns[0]!, PROJECT_COLUMN, ...columns.slice(1)], rows.map((row, i) => [row[0], sessions[i]!.project ?? "-", ...row.slice(1)])] : [[...columns], rows];
const projectOf = (s: SessionSummary, on: boolean | undefined): string => (on && s.project ? `${s.project} · ` : "");

/**
 * The sessions of `/sessions` and `victor sessions list`, newest update first, hence the Updated
 * column. Fits `width` (undefined = a pipe: no limit); below 60 columns, or when even the narrowest
 * table would not fit, a stacked list.
 */
export function renderSessionsTable(c: Colors, sessions: readonly SessionSummary[], width: number | undefined, options: TableOptions = {}): string {
  const [columns, rows] = withProject(
    SESSION_COLUMNS,
    sessions.map((s) => [s.id, s.title, s.model || "-", s.provider || "-", s.messageCount, formatTimestamp(s.updatedAt)]),
    sessions,
    options.projects,
  );
  const table = width !== undefined && width < STACKED_BELOW ? null : renderTable(c, columns, rows as (string | number)[][], width);
  if (table !== null) return table;
  return sessions
    .map((s) => stacked(c, [s.id, s.title], `${projectOf(s, options.projects)}${formatTimestamp(s.updatedAt)} · ${plural(s.messageCount, "message")} · ${modelOf(s)}`, width))
    .join("\n");
}

export const NO_SESSIONS = "No saved sessions found";

const SEARCH_COLUMNS: Column[] = [
  { header: "ID" },
  { header: "Title", grow: true, min: 16 },
  { header: "Match", grow: true, min: 20 },
  { header: "Model", min: 10, dropOrder: 1 },
  { header: "Messages", align: "right", dropOrder: 2 },
  { header: "Updated", dropOrder: 3 },
];

/** Marks a match in a message outside the model's context (compacted, rewound): found, and said so. */
const OUTSIDE_MARK = "(outside the context)";

/** The snippet a result shows: why it matched, marked when the match is outside the context. */
const snippetOf = (r: SearchResult): string => `${r.matchInContext === false ? `${OUTSIDE_MARK} ` : ""}${r.snippet.replace(/\s+/g, " ")}`;

/** The results of `victor sessions search` and `/search`: the snippet shows why each session matched. */
export function renderSearchTable(c: Colors, results: readonly SearchResult[], width: number | undefined, options: TableOptions = {}): string {
  const [columns, rows] = withProject(
    SEARCH_COLUMNS,
    results.map((r) => [r.id, r.title, snippetOf(r), r.model || "-", r.messageCount, formatTimestamp(r.updatedAt)]),
    results,
    options.projects,
  );
  const table = width !== undefined && width < STACKED_BELOW ? null : renderTable(c, columns, rows as (string | number)[][], width);
  if (table !== null) return table;
  return results.map((r) => stacked(c, [r.id, r.title], `${projectOf(r, options.projects)}${formatTimestamp(r.updatedAt)} · ${snippetOf(r)}`, width)).join("\n");
}

/** Says what the mark means, when a result carries it. */
export function outsideNote(results: readonly SearchResult[]): string | null {
  return results.some((r) => r.matchInContext === false)
    ? `${OUTSIDE_MARK}: the match is in a message a compaction or rewind took out of the model's context; it is kept — victor sessions show <id> --all`
    : null;
}

/** Hints under a sessions table (printed as notes: dim, wrapped to the terminal); `total` null: more than shown, not counted. */
export function sessionsFooter(shown: number, total: number | null): string[] {
  const lines: string[] = [];
  // null: there are more, not counted (every project's on a server).
  if (total === null) lines.push(`Showing the ${shown} most recently updated; there are more (--limit N or --all).`);
  else if (total > shown) lines.push(`Showing ${shown} of ${total} sessions (--limit N or --all for more).`);
  lines.push("Resume a session:  victor chat --resume <id>   (a unique id prefix is enough)");
  lines.push("Show a session:    victor sessions show <id>");
  return lines;
}

export const NO_SESSIONS_HINT = 'Save one from `victor chat` with /save "My Session".';

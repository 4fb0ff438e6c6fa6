import { VictorError } from "@victor/core";
import type { ImportProgressEvent, ImportReport, Tool } from "@victor/import";
import { listedLines, renderTable, sanitizeLine, wrapIndented, wrapToWidth, type Colors, type Column } from "@victor/terminal";
import type { Argv, CommandModule } from "yargs";
import { UsageError } from "../errors.js";
import { keepHeapNearLiveSize } from "../heap.js";
import { plural } from "../ui/format.js";
import type { GlobalArgs } from "./sessions/shared.js";

/** The tools `victor import` reads (also offered by shell completion). */
export const IMPORT_TOOL_CHOICES = ["claude", "codex", "gemini", "all"] as const;

export interface ImportArgs extends GlobalArgs {
  tool: (typeof IMPORT_TOOL_CHOICES)[number];
  source?: string[];
  "dry-run"?: boolean;
  json?: boolean;
  since?: string;
  "all-projects"?: boolean;
}

/** Some files could not be imported (they are listed in the report): exit 3, as victor-migrate does. */
class ImportIncompleteError extends VictorError {
  constructor(count: number) {
    super(`${plural(count, "file")} could not be imported (listed above); the others were.`, { exitCode: 3 });
  }
}

/** `--since 2026-01-31` (local midnight), `--since 2026-01-31T08:00Z`, or `--since 7d` (days ago). */
export function parseSince(value: string | undefined, now = new Date()): Date | undefined {
  if (value === undefined) return undefined;
  const days = /^(\d+)d$/.exec(value.trim());
  if (days) return new Date(now.getTime() - Number(days[1]) * 86_400_000);
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  const date = dateOnly ? new Date(Number(dateOnly[1]), Number(dateOnly[2]) - 1, Number(dateOnly[3])) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--since needs a date (2026-01-31, 2026-01-31T08:00Z) or a number of days (7d), not ${JSON.stringify(value)}.`);
  return date;
}

const IGNORED_LABELS: Record<keyof ImportReport["ignored"], string> = {
  "other-project": "of other folders (--all-projects imports them)",
  "no-conversation": "with no conversation yet",
  superseded: "superseded by a newer file of the same session",
  compressed: "compressed (.zst), not read",
  older: "older than --since",
};
const MAX_LISTED = 30;

/** Files per outcome (rows) and tool (columns); on a terminal too narrow for it, one line per tool. */
function outcomeTable(report: ImportReport, c: Colors, toolNames: Readonly<Record<Tool, string>>, width: number | undefined): string {
  const tools = (Object.keys(report.byTool) as Tool[]).filter((t) => Object.values(report.byTool[t]).some((n) => n > 0));
  // A tool's counts name every outcome, in the package's order (this module loads @victor/import lazily).
  const outcomes = (Object.keys(report.byTool.claude) as (keyof ImportReport["byTool"][Tool])[]).filter((o) => report.counts[o] > 0);
  const columns: Column[] = [{ header: "files" }, ...tools.map((t): Column => ({ header: toolNames[t], align: "right" }))];
  const table = renderTable(c, columns, outcomes.map((o) => [o, ...tools.map((t) => report.byTool[t][o])]), width);
  if (table !== null) return table;
  return tools.flatMap((t) => wrapToWidth(`${toolNames[t]}: ${outcomes.map((o) => `${report.byTool[t][o]} ${o}`).join(", ")}`, width)).join("\n");
}

/**
 * The human report: what was read, a table of outcomes per tool, then what needs attention. `width`
 * is the terminal's (undefined for a pipe): the table and the prose fit it.
 */
function renderImportReport(report: ImportReport, c: Colors, toolNames: Readonly<Record<Tool, string>>, width: number | undefined): string {
  const out: string[] = [];
  const prose = (text: string): string[] => wrapToWidth(text, width);
  // Paths: wrapped to the terminal, never cut (they are what the reader acts on).
  const path = (text: string): string[] => wrapIndented(sanitizeLine(text), width);
  const listed = <T>(items: readonly T[], line: (item: T) => string): string[] => listedLines(items, MAX_LISTED, line, width);
  if (report.dryRun) out.push(c.yellow("Dry run: nothing was written."));
  out.push(...path(`Database: ${report.dbPath}`));
  for (const s of report.sources) out.push(...path(`${toolNames[s.tool]}: ${s.path}`));
  for (const m of report.missing) out.push(...path(`${toolNames[m.tool]}: ${m.path} not found (not installed here?)`).map((line) => c.dim(line)));
  if (report.counts.total === 0) {
    out.push("No session files found.");
    return `${out.join("\n")}\n`;
  }
  out.push(outcomeTable(report, c, toolNames, width));
  const sessions = report.counts.imported + report.counts.updated + report.counts.conflict;
  out.push(...prose(`${plural(sessions, "session")} ${report.dryRun ? "would be brought" : "brought"} up to date; ${plural(report.messagesSent, "message")} sent (only new and changed ones).`));
  for (const [kind, n] of Object.entries(report.ignored) as [keyof ImportReport["ignored"], number][]) {
    if (n > 0) out.push(...prose(`${plural(n, "file")} ${IGNORED_LABELS[kind]}`).map((line) => c.dim(line)));
  }
  if (report.failed.length > 0) {
    out.push(c.red(`Failed (${report.failed.length}):`));
    out.push(...listed(report.failed, (f) => `  ${f.path}: ${f.reason}`));
  }
  if (report.conflicts.length > 0) {
    out.push(c.yellow(`Conflicts (${report.conflicts.length}): nothing was overwritten`));
    out.push(...listed(report.conflicts, (f) => `  ${f.path}: ${f.reason}`));
  }
  if (report.issues.length > 0) {
    out.push(c.yellow(`Damaged lines, skipped (${report.issues.length}):`));
    out.push(...listed(report.issues, (i) => `  ${i.path}:${i.line}: ${i.reason}`));
  }
  if (report.notes.length > 0) {
    out.push(c.dim(`Notes (${report.notes.length}):`));
    out.push(...listed(report.notes, (n) => `  ${n.path}: ${n.note}`).map((line) => c.dim(line)));
  }
  return `${out.join("\n")}\n`;
}

export const importCommand: CommandModule<GlobalArgs, ImportArgs> = {
  command: "import [tool]",
  describe: "Import the sessions of Claude Code, Codex CLI and gemini-cli (re-runnable: only what is new comes in)",
  builder: (y) =>
    y
      .positional("tool", { choices: IMPORT_TOOL_CHOICES, default: "all" as const, describe: "Whose sessions" })
      .option("source", { type: "string", array: true, describe: "Read this folder instead of the tool's own (repeatable; name one tool)" })
      .option("dry-run", { type: "boolean", describe: "Read and decide everything, write nothing" })
      .option("json", { type: "boolean", describe: "Print the report as JSON" })
      .option("since", { type: "string", describe: "Only files changed since a date (2026-01-31) or a number of days (7d)" })
      .option("all-projects", { type: "boolean", describe: "Also the sessions of other folders (default: this project's only)" }) as unknown as Argv<ImportArgs>,
  handler: async (args) => {
    const sources = args.source ?? [];
    if (sources.some((s) => s.trim() === "")) throw new UsageError("--source needs a folder path.");
    if (sources.length > 0 && args.tool === "all") throw new UsageError("--source reads one tool's files: name it (victor import claude --source DIR).");
    const since = parseSince(args.since);
    const t = args.terminal;
    // A rollout of hundreds of MB streams through the heap as `sessions import` does (measured on a
    // 500 MB Codex rollout: peak RSS 183–299 MB from run to run without it, 201–210 MB with it).
    keepHeapNearLiveSize();
    const [{ importSessionsFromTools, importReportToJson, TOOLS, TOOL_NAMES }, { createProgress }] = await Promise.all([import("@victor/import"), import("@victor/migrate/render")]);
    const progress = args.json ? null : createProgress(t.io.stderr, t.cErr, "victor import");
    let report: ImportReport;
    try {
      report = await importSessionsFromTools({
        tools: args.tool === "all" ? TOOLS : [args.tool],
        sources,
        dbPath: args.db,
        project: args.project,
        cwd: t.io.cwd,
        env: t.io.env,
        dryRun: args["dry-run"] === true,
        since,
        allProjects: args["all-projects"] === true,
        onProgress: progress ? (event: ImportProgressEvent) => progress.onProgress(event) : undefined,
      });
    } finally {
      progress?.stop();
    }
    if (args.json) t.printJson(importReportToJson(report));
    else t.say(renderImportReport(report, t.c, TOOL_NAMES, t.width()));
    if (report.counts.failed > 0) throw new ImportIncompleteError(report.counts.failed);
  },
};

import { VictorError } from "@victor/core";
import type { ImportProgressEvent, ImportReport, Tool } from "@victor/import";
import type { Argv, CommandModule } from "yargs";
import { UsageError } from "../errors.js";
import { colors, type Colors } from "../ui/colors.js";
import { renderTable } from "../ui/table.js";
import { type GlobalArgs, printJson, say } from "./sessions/shared.js";

const CHOICES = ["claude", "codex", "gemini", "all"] as const;

export interface ImportArgs extends GlobalArgs {
  tool: (typeof CHOICES)[number];
  source?: string[];
  "dry-run"?: boolean;
  json?: boolean;
  since?: string;
  "all-projects"?: boolean;
}

/** Some files could not be imported (they are listed in the report): exit 3, as victor-migrate does. */
export class ImportIncompleteError extends VictorError {
  constructor(count: number) {
    super(`${count} file${count === 1 ? "" : "s"} could not be imported (listed above); the others were.`, { exitCode: 3 });
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

/** Paths and reasons come from other programs' files: control characters are shown, never sent to the terminal. */
const visible = (text: string): string => text.replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu, (ch) => `\\u{${ch.codePointAt(0)!.toString(16)}}`);

const IGNORED_LABELS: Record<keyof ImportReport["ignored"], string> = {
  "other-project": "of other folders (--all-projects imports them)",
  "no-conversation": "with no conversation yet",
  superseded: "superseded by a newer file of the same session",
  compressed: "compressed (.zst), not read",
  older: "older than --since",
};
const MAX_LISTED = 30;

function listed<T>(items: readonly T[], line: (item: T) => string): string[] {
  const lines = items.slice(0, MAX_LISTED).map(line);
  if (items.length > MAX_LISTED) lines.push(`  … and ${items.length - MAX_LISTED} more (see --json)`);
  return lines;
}

/** The human report: what was read, a table per tool, then what needs attention. */
export function renderImportReport(report: ImportReport, c: Colors, toolNames: Readonly<Record<Tool, string>>): string {
  const out: string[] = [];
  if (report.dryRun) out.push(c.yellow("Dry run: nothing was written."));
  out.push(`Database: ${visible(report.dbPath)}`);
  for (const s of report.sources) out.push(`${toolNames[s.tool]}: ${visible(s.path)}`);
  for (const m of report.missing) out.push(c.dim(`${toolNames[m.tool]}: ${visible(m.path)} not found (not installed here?)`));
  if (report.counts.total === 0) {
    out.push("No session files found.");
    return `${out.join("\n")}\n`;
  }
  const tools = (Object.keys(report.byTool) as Tool[]).filter((t) => Object.values(report.byTool[t]).some((n) => n > 0));
  const outcomes = (["imported", "updated", "unchanged", "conflict", "failed", "ignored"] as const).filter((o) => report.counts[o] > 0);
  const rows = outcomes.map((o) => [o, ...tools.map((t) => report.byTool[t][o])]);
  out.push(renderTable(c, ["files", ...tools.map((t) => toolNames[t])], rows, { width: process.stdout.columns }));
  const sessions = report.counts.imported + report.counts.updated + report.counts.conflict;
  const verb = report.dryRun ? "would be brought" : "brought";
  out.push(`${sessions} session${sessions === 1 ? "" : "s"} ${verb} up to date; ${report.messagesSent} message${report.messagesSent === 1 ? "" : "s"} sent (only new and changed ones).`);
  for (const [kind, n] of Object.entries(report.ignored) as [keyof ImportReport["ignored"], number][]) {
    if (n > 0) out.push(c.dim(`${n} file${n === 1 ? "" : "s"} ${IGNORED_LABELS[kind]}`));
  }
  if (report.failed.length > 0) {
    out.push(c.red(`Failed (${report.failed.length}):`));
    out.push(...listed(report.failed, (f) => `  ${visible(f.path)}: ${visible(f.reason)}`));
  }
  if (report.conflicts.length > 0) {
    out.push(c.yellow(`Conflicts (${report.conflicts.length}): nothing was overwritten`));
    out.push(...listed(report.conflicts, (f) => `  ${visible(f.path)}: ${visible(f.reason)}`));
  }
  if (report.issues.length > 0) {
    out.push(c.yellow(`Damaged lines, skipped (${report.issues.length}):`));
    out.push(...listed(report.issues, (i) => `  ${visible(i.path)}:${i.line}: ${visible(i.reason)}`));
  }
  if (report.notes.length > 0) {
    out.push(c.dim(`Notes (${report.notes.length}):`));
    out.push(...listed(report.notes, (n) => c.dim(`  ${visible(n.path)}: ${visible(n.note)}`)));
  }
  return `${out.join("\n")}\n`;
}

export const importCommand: CommandModule<GlobalArgs, ImportArgs> = {
  command: "import [tool]",
  describe: "Import the sessions of Claude Code, Codex CLI and gemini-cli (re-runnable: only what is new comes in)",
  builder: (y) =>
    y
      .positional("tool", { choices: CHOICES, default: "all" as const, describe: "Whose sessions" })
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
    const [{ importSessionsFromTools, importReportToJson, TOOLS, TOOL_NAMES }, { createProgress }] = await Promise.all([import("@victor/import"), import("@victor/migrate/render")]);
    const progress = args.json ? null : createProgress(process.stderr, colors(process.stderr), "victor import");
    let report: ImportReport;
    try {
      report = await importSessionsFromTools({
        tools: args.tool === "all" ? TOOLS : [args.tool],
        sources,
        dbPath: args.db,
        dryRun: args["dry-run"] === true,
        since,
        allProjects: args["all-projects"] === true,
        onProgress: progress ? (event: ImportProgressEvent) => progress.onProgress(event) : undefined,
      });
    } finally {
      progress?.stop();
    }
    if (args.json) printJson(importReportToJson(report));
    else say(renderImportReport(report, colors(process.stdout), TOOL_NAMES));
    if (report.counts.failed > 0) throw new ImportIncompleteError(report.counts.failed);
  },
};

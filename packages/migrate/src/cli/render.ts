import { colorsFor, listedLines, renderTable, sanitizeLine, terminalWidth, wrapIndented, wrapToWidth, type Colors } from "@victor/terminal";
import cliProgress from "cli-progress";
import { OUTCOMES, type FileOutcome, type MigrationReport, type PythonUpgradeReport } from "../report.js";

// The colour policy of every Victor program (NO_COLOR, FORCE_COLOR, TERM=dumb, else only on a terminal).
export { colorsFor, type Colors };

/** What a progress display needs of a run's events (victor-migrate's and `victor import`'s). */
export type FileProgressEvent =
  | {
      kind: "start";
      total: number;
      sources: readonly string[];
      dryRun: boolean;
      /** Of `total`, the sessions in Python Victor databases (victor-migrate); the rest are files. */
      pythonSessions?: number;
    }
  | { kind: "backup"; path: string }
  | { kind: "file"; done: number; total: number }
  | { kind: "done" };

export interface ProgressSink {
  onProgress(event: FileProgressEvent): void;
  /** Ends the bar; `reportFollows`: the report printed next names the backup, so the held line is not repeated. */
  stop(options?: { reportFollows?: boolean }): void;
}

/** The widest bar, and the narrowest worth drawing on a small terminal. */
const BAR_MAX = 40;
const BAR_MIN = 10;

/**
 * Bar cells that keep the whole line (` 100% | 1234/1234 | `) inside the terminal's width: cli-progress
 * turns the terminal's wrapping off while it draws, so a longer line would lose the count at the edge.
 */
function barSize(width: number | undefined, total: number): number {
  const digits = String(total).length;
  const text = " 100% | ".length + 2 * digits + 1 + " | ".length;
  return Math.max(BAR_MIN, Math.min(BAR_MAX, (width ?? 80) - text - 1));
}

/**
 * The progress of a run on `stream` (stderr), `label` (the program's name) leading each line: a
 * bar that fits the terminal, or, when piped, a plain line every ~5% and for the backup. `colors`
 * are the stream's own (the caller applies the shared colour policy to it).
 */
export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }, colors: Colors, label: string): ProgressSink {
  if (stream.isTTY) {
    let bar: cliProgress.SingleBar | null = null;
    // cli-progress draws on the line where it started and clears that line when it stops: a line
    // written meanwhile would be erased (leaving bits of the bar behind), so it waits for the stop.
    let backupLine: string | null = null;
    const write = (line: string): void => void stream.write(`${wrapIndented(line, terminalWidth(stream)).join("\n")}\n`);
    const say = (line: string): void => {
      if (bar) backupLine = line;
      else write(line);
    };
    return {
      onProgress(event) {
        if (event.kind === "start" && event.total > 0) {
          bar = new cliProgress.SingleBar(
            {
              stream,
              format: `${colors.cyan("{bar}")} {percentage}% | {value}/{total} | {eta_buffer}`,
              barsize: barSize(terminalWidth(stream), event.total),
              hideCursor: true,
              clearOnComplete: true,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(event.total, 0, { eta_buffer: "" });
        } else if (event.kind === "file") bar?.update(event.done);
        else if (event.kind === "backup") say(`Backed up the database to ${sanitizeLine(event.path)}`);
      },
      stop(options) {
        bar?.stop();
        bar = null;
        // Without the report (a run that failed after its backup), this is where the backup is said.
        if (backupLine !== null && !options?.reportFollows) write(backupLine);
        backupLine = null;
      },
    };
  }
  let step = 1;
  let unit = "files";
  return {
    onProgress(event) {
      if (event.kind === "start") {
        step = Math.max(1, Math.ceil(event.total / 20));
        const python = event.pythonSessions ?? 0;
        unit = python > 0 ? "sources" : "files";
        const pythonPart = python > 0 ? ` and ${python} session(s) in the Python Victor's database(s)` : "";
        stream.write(`${label}: ${event.total - python} files in ${event.sources.length} folder(s)${pythonPart}${event.dryRun ? " (dry run)" : ""}\n`);
      } else if (event.kind === "backup") stream.write(`${label}: backed up the database to ${sanitizeLine(event.path)}\n`);
      else if (event.kind === "file" && (event.done % step === 0 || event.done === event.total)) {
        stream.write(`${label}: ${event.done}/${event.total} ${unit}\n`);
      }
    },
    stop() {},
  };
}

const LABELS: Record<FileOutcome, string> = {
  imported: "imported",
  recovered: "recovered",
  updated: "updated",
  unchanged: "unchanged",
  conflict: "conflicts",
  failed: "failed",
  ignored: "ignored",
  skipped: "skipped",
};

const MAX_LISTED = 50;

/**
 * The human report: where, the summary table, then the files that need attention. `width` is the
 * terminal's (undefined for a pipe): the prose about a Python Victor database wraps to it.
 */
export function renderReport(report: MigrationReport, c: Colors, width?: number): string {
  const out: string[] = [];
  // Lines holding paths wrap to the terminal, never cut (a path is what the reader acts on).
  const path = (text: string): string[] => wrapIndented(sanitizeLine(text), width);
  const listed = <T>(items: readonly T[], line: (item: T) => string): string[] => listedLines(items, MAX_LISTED, line, width);
  if (report.dryRun) out.push(c.yellow("Dry run: nothing was written."));
  out.push(...path(`Database: ${report.dbPath}`));
  if (report.sources.length > 0 || report.fromDb.length === 0) out.push(...path(`Sources: ${report.sources.length > 0 ? report.sources.join(", ") : "(none found)"}`));
  for (const other of report.fromDb) {
    out.push(...path(`From the Python Victor's database ${other.path}: ${other.sessions} session${other.sessions === 1 ? "" : "s"} (${other.schemaName}; only read)`));
  }
  if (report.python) out.push(...pythonLines(report.python, c, width));
  if (report.backupPath) out.push(...path(`Backup: ${report.backupPath}`));
  if (report.removedBackups.length > 0) {
    out.push(...path(`Removed ${report.removedBackups.length} older or partial backup file(s): ${report.removedBackups.join(", ")}`).map((line) => c.dim(line)));
  }
  const colour: Partial<Record<FileOutcome, (s: string) => string>> = { failed: c.red, conflict: c.yellow, recovered: c.cyan, imported: c.green, updated: c.green };
  const rows = [...OUTCOMES.map((outcome) => [LABELS[outcome], report.counts[outcome]]), ["total", report.counts.total]];
  const paint = (text: string, row: number): string => {
    const outcome = OUTCOMES[row];
    if (outcome === undefined) return c.bold(text);
    return report.counts[outcome] > 0 ? (colour[outcome] ?? ((s: string) => s))(text) : text;
  };
  // Two short columns: it fits any terminal, so no width is needed.
  out.push(renderTable(c, [{ header: "outcome", paint }, { header: "sources", align: "right", paint }], rows)!);
  if (report.failed.length > 0) {
    out.push(c.red(`Failed files (${report.failed.length}):`));
    out.push(...listed(report.failed, (f) => `  ${f.path}: ${f.reason}`));
  }
  if (report.conflicts.length > 0) {
    out.push(c.yellow(`Conflicts (${report.conflicts.length}):`));
    out.push(...listed(report.conflicts, (f) => `  ${f.path}: ${f.reason}`));
  }
  if (report.skipped.length > 0) {
    out.push(`Skipped (${report.skipped.length}):`);
    out.push(...listed(report.skipped, (f) => `  ${f.path}: ${f.reason}`));
  }
  if (report.renamed.length > 0) {
    out.push(`Renamed (${report.renamed.length}):`);
    out.push(...listed(report.renamed, (f) => `  ${f.path}: ${f.from} → ${f.to}`));
  }
  if (report.overwritten.length > 0) {
    out.push(`Overwritten (${report.overwritten.length}):`);
    out.push(...listed(report.overwritten, (f) => `  ${f.path}: replaced session ${f.sessionId}`));
  }
  if (report.notes.length > 0) {
    out.push(c.dim(`Notes (${report.notes.length}):`));
    out.push(...listed(report.notes, (n) => `  ${n.path}: ${n.note}`).map((line) => c.dim(line)));
  }
  return `${out.join("\n")}\n`;
}

/**
 * What the in-place upgrade of a Python Victor database did (or, dry, would do). Table, index and
 * trigger names come from the file: sanitised like paths. Each item wraps to the width, indented.
 */
function pythonLines(python: PythonUpgradeReport, c: Colors, width: number | undefined): string[] {
  const done = python.done;
  const tables = python.renamed.filter((r) => r.type === "table");
  const indexes = python.renamed.filter((r) => r.type === "index");
  const item = (text: string): string[] => wrapToWidth(sanitizeLine(text), width === undefined ? undefined : width - 4).map((line, i) => `${i === 0 ? "  " : "    "}${line}`);
  const lines = [
    ...wrapToWidth(
      sanitizeLine(`${done ? "Upgraded" : "Would upgrade"} the Python Victor's database in place: ${python.sessions} session${python.sessions === 1 ? "" : "s"} (${python.schemaName}).`),
      width,
    ).map((line) => c.cyan(line)),
    ...item(
      `${done ? "Renamed" : "Would rename"} aside (kept, never dropped): ${tables.map((t) => `${t.from} → ${t.to}`).join(", ")}` +
        (indexes.length > 0 ? `; ${indexes.length} index${indexes.length === 1 ? "" : "es"} (${indexes.map((i) => i.to).join(", ")})` : ""),
    ),
  ];
  if (python.droppedTriggers.length > 0) {
    lines.push(...item(`${done ? "Dropped" : "Would drop"} its triggers on them (SQL kept in python_upgrades and the backup): ${python.droppedTriggers.join(", ")}`));
  }
  lines.push(...item(`Every other table is left as it is.${done ? "" : " A verified backup would be made first."}`));
  return lines;
}

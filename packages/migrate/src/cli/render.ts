import cliProgress from "cli-progress";
import Table from "cli-table3";
import pc from "picocolors";
import { OUTCOMES, type FileOutcome, type MigrationReport } from "../report.js";

export type Colors = ReturnType<typeof pc.createColors>;

/** Colour only on a terminal, and never with NO_COLOR set. */
export function colorsFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Colors {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
  return pc.createColors(stream.isTTY === true && !noColor);
}

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
  stop(): void;
}

/**
 * A progress bar on a terminal; a plain line every ~5% (and for the backup) when piped, each
 * starting with `label` (the program's name).
 */
export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, colors: Colors, label = "victor-migrate"): ProgressSink {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream, format: `${colors.cyan("{bar}")} {percentage}% | {value}/{total} | {eta_buffer}`, hideCursor: true, clearOnComplete: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      onProgress(event) {
        if (event.kind === "start" && event.total > 0) {
          bar.start(event.total, 0, { eta_buffer: "" });
          started = true;
        } else if (event.kind === "file" && started) bar.update(event.done);
        else if (event.kind === "backup") stream.write(`Backed up the database to ${event.path}\n`);
      },
      stop() {
        if (started) bar.stop();
        started = false;
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
      } else if (event.kind === "backup") stream.write(`${label}: backed up the database to ${event.path}\n`);
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

function listed<T>(items: readonly T[], line: (item: T) => string): string[] {
  const lines = items.slice(0, MAX_LISTED).map(line);
  if (items.length > MAX_LISTED) lines.push(`  … and ${items.length - MAX_LISTED} more (see --json)`);
  return lines;
}

/** The human report: where, the summary table, then the files that need attention. */
export function renderReport(report: MigrationReport, c: Colors): string {
  const out: string[] = [];
  out.push(report.dryRun ? c.yellow("Dry run: nothing was written.") : `Database: ${report.dbPath}`);
  if (report.dryRun) out.push(`Database: ${report.dbPath}`);
  if (report.sources.length > 0 || report.fromDb.length === 0) out.push(`Sources: ${report.sources.length > 0 ? report.sources.join(", ") : "(none found)"}`);
  for (const other of report.fromDb) out.push(`From the Python Victor's database ${other.path}: ${other.sessions} session${other.sessions === 1 ? "" : "s"} (${other.schemaName}; only read)`);
  if (report.python) out.push(...pythonLines(report, c));
  if (report.backupPath) out.push(`Backup: ${report.backupPath}`);
  if (report.removedBackups.length > 0) out.push(c.dim(`Removed ${report.removedBackups.length} older or partial backup file(s): ${report.removedBackups.join(", ")}`));
  const table = new Table({
    head: ["outcome", "sources"],
    style: { head: [], border: [] },
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
  });
  const colour: Partial<Record<FileOutcome, (s: string) => string>> = { failed: c.red, conflict: c.yellow, recovered: c.cyan, imported: c.green, updated: c.green };
  for (const outcome of OUTCOMES) {
    const n = report.counts[outcome];
    const paint = n > 0 ? (colour[outcome] ?? ((s: string) => s)) : (s: string) => s;
    table.push([paint(LABELS[outcome]), paint(String(n))]);
  }
  table.push([c.bold("total"), c.bold(String(report.counts.total))]);
  out.push(table.toString());
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
    out.push(...listed(report.notes, (n) => c.dim(`  ${n.path}: ${n.note}`)));
  }
  return `${out.join("\n")}\n`;
}

/** What the in-place upgrade of a Python Victor database did (or, dry, would do). */
function pythonLines(report: MigrationReport, c: Colors): string[] {
  const python = report.python!;
  const tables = python.renamed.filter((r) => r.type === "table");
  const indexes = python.renamed.filter((r) => r.type === "index");
  const lines = [
    c.cyan(
      `${python.done ? "Upgraded" : "Would upgrade"} the Python Victor's database in place: ${python.sessions} session${python.sessions === 1 ? "" : "s"} (${python.schemaName}).`,
    ),
    `  ${python.done ? "Renamed" : "Would rename"} aside (kept, never dropped): ${tables.map((t) => `${t.from} → ${t.to}`).join(", ")}` +
      (indexes.length > 0 ? `; ${indexes.length} index${indexes.length === 1 ? "" : "es"} (${indexes.map((i) => i.to).join(", ")})` : ""),
  ];
  if (python.droppedTriggers.length > 0) {
    lines.push(`  ${python.done ? "Dropped" : "Would drop"} its triggers on them (SQL kept in python_upgrades and the backup): ${python.droppedTriggers.join(", ")}`);
  }
  lines.push(`  Every other table is left as it is.${python.done ? "" : " A verified backup would be made first."}`);
  return lines;
}

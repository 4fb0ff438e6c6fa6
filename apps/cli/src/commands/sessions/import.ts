import type { ConflictPolicy, ImportItemResult } from "@victor/core";
import { resolve } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { keepHeapNearLiveSize } from "../../heap.js";
import { byteProgress } from "../../ui/byte-progress.js";
import { plural } from "../../ui/format.js";
import { checkExportFile, writeExportFile } from "./import-file.js";
import { toJsonImportResult } from "./json-vocabulary.js";
import { type GlobalArgs, withWriteStore } from "./shared.js";

export interface ImportArgs extends GlobalArgs {
  file: string;
  onConflict: ConflictPolicy;
  json?: boolean;
}

export interface ImportReport {
  imported: number;
  overwritten: number;
  renamed: number;
  skipped: number;
  /** Older copies of a session the same file holds a newer copy of. */
  superseded: number;
  sessions: ImportItemResult[];
}

export function summarizeImport(results: readonly ImportItemResult[]): ImportReport {
  const by = (status: ImportItemResult["status"]) => results.filter((r) => r.status === status).length;
  return {
    imported: by("created") + by("renamed") + by("overwritten"),
    overwritten: by("overwritten"),
    renamed: by("renamed"),
    skipped: by("skipped-conflict"),
    superseded: by("superseded"),
    sessions: [...results],
  };
}

export function formatImportReport(report: ImportReport): string {
  const details: string[] = [];
  if (report.renamed > 0) details.push(`${report.renamed} renamed to new ids`);
  if (report.overwritten > 0) details.push(`${report.overwritten} overwritten`);
  let line = `Imported ${plural(report.imported, "session")}${details.length ? ` (${details.join(", ")})` : ""}`;
  if (report.skipped > 0) line += `; skipped ${report.skipped} that already exist (--on-conflict rename or overwrite to import them)`;
  if (report.superseded > 0) line += `; skipped ${plural(report.superseded, "older copy", "older copies")} of a session the file holds a newer copy of`;
  return `${line}.`;
}

export const importCommand: CommandModule<GlobalArgs, ImportArgs> = {
  command: "import <file>",
  describe: "Import sessions from an export file (a JSON array of sessions, or one session)",
  builder: (y) =>
    y
      .positional("file", { type: "string", describe: "The file `victor sessions export` wrote", demandOption: true })
      .option("on-conflict", {
        choices: ["skip", "rename", "overwrite"] as const,
        default: "skip" as const,
        describe: "When a session id already exists: keep it (skip), import under a new id (rename), or replace it",
      })
      .option("json", { type: "boolean", describe: "Print the outcome as JSON" }) as unknown as Argv<ImportArgs>,
  handler: async (args) => {
    const t = args.terminal;
    const file = { path: resolve(t.io.cwd, String(args.file)), name: String(args.file) };
    const onConflict = args.onConflict;
    const progress = args.json ? null : byteProgress(t, file.name);
    const show = progress ? (step: "check" | "write", done: number, size: number) => progress.update(step === "check" ? "Checking" : "Importing", done, size) : undefined;
    let results: ImportItemResult[];
    keepHeapNearLiveSize();
    try {
      const checked = await checkExportFile(file, onConflict, show);
      results = checked.ids.length === 0 ? [] : await withWriteStore(args, (store) => writeExportFile(store, file, checked, { onConflict, progress: show }));
    } finally {
      progress?.clear();
    }
    const report = summarizeImport(results);
    if (args.json) return t.printJson({ ...report, sessions: report.sessions.map(toJsonImportResult) });
    t.tell(formatImportReport(report), t.c.green);
    for (const r of report.sessions.filter((s) => s.status === "renamed")) t.say(t.c.dim(`  ${r.requestedId} → ${r.sessionId}`));
  },
};

import {
  type ConflictPolicy,
  type ImportItemResult,
  InvalidSessionDataError,
  type Session,
  assertValidSessionId,
  parseSessionEnvelope,
  toSaveInput,
} from "@victor/core";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { CliError } from "../../errors.js";
import { plural } from "../../ui/format.js";
import { toJsonImportResult } from "./json-vocabulary.js";
import { type GlobalArgs, withWriteStore } from "./shared.js";

export interface ImportArgs extends GlobalArgs {
  file: string;
  onConflict: ConflictPolicy;
  json?: boolean;
}

/**
 * The sessions of an export file: a JSON array of envelopes or one envelope (`show --json`).
 * Every item is checked before anything is written; the first problem names the item and the file.
 */
export function parseExportText(text: string, file: string): Session[] {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new InvalidSessionDataError(`${file} is not valid JSON (${(error as Error).message}); nothing was imported.`);
  }
  const items = Array.isArray(value) ? value : [value];
  return items.map((item, i) => {
    const where = Array.isArray(value) ? `session ${i + 1} of ${file}` : file;
    try {
      const session = parseSessionEnvelope(item, where);
      try {
        assertValidSessionId(session.metadata.session_id);
      } catch {
        throw new InvalidSessionDataError(`${where} has an invalid session id ${JSON.stringify(session.metadata.session_id)}.`);
      }
      return session;
    } catch (error) {
      if (error instanceof InvalidSessionDataError) throw new InvalidSessionDataError(`${error.message.replace(/\.$/, "")}; nothing was imported.`);
      throw error;
    }
  });
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
    const file = String(args.file);
    const path = resolve(args.terminal.io.cwd, file);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(code === "ENOENT" ? `File not found: ${path}` : `Cannot read ${path}: ${(error as Error).message}`);
    }
    const sessions = parseExportText(text, file);
    const onConflict = args.onConflict;
    // With the revision each copy had: of one id twice in the file, the newest copy is imported.
    const items = sessions.map((s) => ({ input: toSaveInput(s), onConflict, ...(typeof s.metadata.revision === "number" ? { revision: s.metadata.revision } : {}) }));
    const results = items.length === 0 ? [] : await withWriteStore(args, (store) => store.importSessions(items));
    const report = summarizeImport(results);
    const t = args.terminal;
    if (args.json) return t.printJson({ ...report, sessions: report.sessions.map(toJsonImportResult) });
    t.say(t.c.green(formatImportReport(report)));
    for (const r of report.sessions.filter((s) => s.status === "renamed")) t.say(t.c.dim(`  ${r.requestedId} → ${r.sessionId}`));
  },
};

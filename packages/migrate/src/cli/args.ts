import { parseArgs } from "node:util";
import { assertTimeZone, type ConflictPolicy } from "@victor/core";
import { UsageError, wrapToWidth } from "@victor/terminal";

const OPTIONS: [flag: string, description: string][] = [
  ["--source DIR", "a folder of legacy *.json sessions (repeatable); default ~/.victor/sessions and <project>/.victor/sessions when present (none when --from-db is given)"],
  ["--from-db PATH", "also import every session of this Python Victor database (a backup, another project's); the file is only read (repeatable)"],
  ["--db PATH|URL", "the session database: a file (default: VICTOR_DB_PATH, then <project>/.victor/project.db) or a PostgreSQL server, postgres://USER@HOST/DB (or VICTOR_DB_URL)"],
  ["--project NAME", "on a PostgreSQL server: the project's name when it has no git remote (default: VICTOR_PROJECT, then \"project\" in .victor/config.json)"],
  ["--dry-run", "read and check everything, write nothing, print what a real run would do"],
  ["--json", "print one JSON report on stdout and nothing else"],
  ["--on-conflict MODE", "when a session id is taken by another source or a /save: skip (default, reported), rename (new id) or overwrite"],
  ["--timezone ZONE", 'the zone the Python Victor ran in (IANA name, "UTC" or "local", the default): its naive local timestamps are read in it'],
  ["--keep-backups N", "how many automatic backups to keep next to the database (default 5, or VICTOR_BACKUP_KEEP)"],
  ["--no-backup", "do not back the database up before writing into it (the in-place upgrade of a Python Victor database always makes one)"],
  ["--debug", "print stack traces of fatal errors"],
  ["-h, --help", "show this help"],
];

/** Below this width each option's description goes under it instead of beside it. */
const MIN_DESCRIPTION_WIDTH = 30;

/**
 * The help text, fitted to `width` columns (a terminal's; undefined for a pipe: 80): descriptions
 * wrap beside their option, or under it on a narrow terminal.
 */
export function usage(width: number | undefined): string {
  const columns = width ?? 80;
  const wrap = (text: string, room: number): string[] => wrapToWidth(text, Math.max(10, room));
  const flagWidth = Math.max(...OPTIONS.map(([flag]) => flag.length));
  const sideBySide = columns - (flagWidth + 4) >= MIN_DESCRIPTION_WIDTH;
  const lines = [
    ...wrap(
      "Usage: victor-migrate [--source DIR]… [--from-db PATH]… [--db PATH|URL] [--project NAME] [--dry-run] [--json] [--on-conflict skip|rename|overwrite] [--timezone ZONE] [--keep-backups N] [--no-backup]",
      columns,
    ),
    "",
    ...wrap(
      "Brings the Python Victor's sessions into the session database: its legacy JSON files, and its own .victor/project.db, which is upgraded in place " +
        "(after a verified backup; the tables of its other features are left as they are). Sources are only read.",
      columns,
    ),
    "",
    "Options:",
  ];
  for (const [flag, description] of OPTIONS) {
    if (sideBySide) {
      const [first = "", ...rest] = wrap(description, columns - flagWidth - 4);
      lines.push(`  ${flag.padEnd(flagWidth)}  ${first}`, ...rest.map((l) => `${" ".repeat(flagWidth + 4)}${l}`));
    } else lines.push(`  ${flag}`, ...wrap(description, columns - 6).map((l) => `      ${l}`));
  }
  lines.push("", ...wrap("Exit codes: 0 nothing failed, 1 fatal error, 2 bad usage, 3 some sources failed.", columns));
  return lines.join("\n");
}

export interface CliArgs {
  sources: string[];
  fromDb: string[];
  timeZone: string | undefined;
  keepBackups: number | undefined;
  dbPath: string | undefined;
  project: string | undefined;
  dryRun: boolean;
  json: boolean;
  onConflict: ConflictPolicy;
  backup: boolean;
  debug: boolean;
  help: boolean;
}

export { UsageError };

const POLICIES: readonly ConflictPolicy[] = ["skip", "rename", "overwrite"];

/** Parses the command line (node's util.parseArgs); bad input is a UsageError (exit 2). */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        source: { type: "string", multiple: true },
        "from-db": { type: "string", multiple: true },
        timezone: { type: "string" },
        "keep-backups": { type: "string" },
        db: { type: "string" },
        project: { type: "string" },
        "dry-run": { type: "boolean" },
        json: { type: "boolean" },
        "on-conflict": { type: "string" },
        "no-backup": { type: "boolean" },
        debug: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message.split("\n")[0]!.replace(/\. To specify a positional.*$/, "."));
  }
  const onConflict = values["on-conflict"] ?? "skip";
  if (!POLICIES.includes(onConflict as ConflictPolicy)) {
    throw new UsageError(`--on-conflict must be skip, rename or overwrite (got ${JSON.stringify(onConflict)}).`);
  }
  for (const source of values.source ?? []) if (source.trim() === "") throw new UsageError("--source needs a folder path.");
  if (values.db !== undefined && values.db.trim() === "") throw new UsageError("--db needs a file path or a postgres:// URL.");
  if (values.project !== undefined && values.project.trim() === "") throw new UsageError("--project needs a name.");
  for (const path of values["from-db"] ?? []) if (path.trim() === "") throw new UsageError("--from-db needs a file path.");
  const timeZone = values.timezone;
  if (timeZone !== undefined) {
    try {
      assertTimeZone(timeZone);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  return {
    sources: values.source ?? [],
    fromDb: values["from-db"] ?? [],
    timeZone,
    keepBackups: parseKeep(values["keep-backups"], "--keep-backups"),
    dbPath: values.db,
    project: values.project,
    dryRun: values["dry-run"] === true,
    json: values.json === true,
    onConflict: onConflict as ConflictPolicy,
    backup: values["no-backup"] !== true,
    debug: values.debug === true,
    help: values.help === true,
  };
}

/** A backup count: a whole number of at least 1. */
function parseKeep(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${what} must be a whole number of at least 1 (got ${JSON.stringify(value)}).`);
  return n;
}

import { parseArgs } from "node:util";
import type { ConflictPolicy } from "@victor/core";
import { UsageError, wrapToWidth } from "@victor/terminal";

const OPTIONS: [flag: string, description: string][] = [
  ["--source DIR", "a folder of legacy *.json sessions (repeatable); default ~/.victor/sessions and <project>/.victor/sessions when present"],
  ["--db PATH", "the session database (default: VICTOR_DB_PATH, then <project>/.victor/project.db)"],
  ["--dry-run", "read and check everything, write nothing, print what a real run would do"],
  ["--json", "print one JSON report on stdout and nothing else"],
  ["--on-conflict MODE", "when a session id is taken by another source or a /save: skip (default, reported), rename (new id) or overwrite"],
  ["--no-backup", "do not back the database up before writing into it"],
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
    ...wrap("Usage: victor-migrate [--source DIR]… [--db PATH] [--dry-run] [--json] [--on-conflict skip|rename|overwrite] [--no-backup]", columns),
    "",
    ...wrap("Imports legacy Victor JSON sessions into the session database. Source files are only read.", columns),
    "",
    "Options:",
  ];
  for (const [flag, description] of OPTIONS) {
    if (sideBySide) {
      const [first = "", ...rest] = wrap(description, columns - flagWidth - 4);
      lines.push(`  ${flag.padEnd(flagWidth)}  ${first}`, ...rest.map((l) => `${" ".repeat(flagWidth + 4)}${l}`));
    } else lines.push(`  ${flag}`, ...wrap(description, columns - 6).map((l) => `      ${l}`));
  }
  lines.push("", ...wrap("Exit codes: 0 nothing failed, 1 fatal error, 2 bad usage, 3 some files failed.", columns));
  return lines.join("\n");
}

export interface CliArgs {
  sources: string[];
  dbPath: string | undefined;
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
        db: { type: "string" },
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
  if (values.db !== undefined && values.db.trim() === "") throw new UsageError("--db needs a file path.");
  return {
    sources: values.source ?? [],
    dbPath: values.db,
    dryRun: values["dry-run"] === true,
    json: values.json === true,
    onConflict: onConflict as ConflictPolicy,
    backup: values["no-backup"] !== true,
    debug: values.debug === true,
    help: values.help === true,
  };
}

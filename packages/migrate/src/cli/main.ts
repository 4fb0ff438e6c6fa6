import { migrateLegacySessions } from "../migrate.js";
import { Output, OutputClosedError, sanitizeLine, sanitizeText, stringifyJson, terminalWidth } from "@victor/terminal";
import { backupsToKeepFromEnv, VictorError } from "@victor/core";
import { parseCliArgs, usage, UsageError } from "./args.js";
import { reportToJson } from "./json-report.js";
import { colorsFor, createProgress, renderReport } from "./render.js";

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const EXIT_OK = 0;
const EXIT_FATAL = 1;
const EXIT_USAGE = 2;
const EXIT_SOME_FAILED = 3;

/** Runs victor-migrate; returns the exit code (0 ok, 1 fatal, 2 usage, 3 some files failed). */
export async function main(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }): Promise<number> {
  // One guard for every write to stdout: a reader that left (`| head`) ends the run quietly, status 0.
  const stdout = new Output(io.stdout);
  try {
    return await run(argv, io, stdout);
  } catch (error) {
    if (error instanceof OutputClosedError) return EXIT_OK;
    throw error;
  } finally {
    await stdout.flush();
  }
}

async function run(argv: readonly string[], io: CliIo, stdout: Output): Promise<number> {
  let args;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`victor-migrate: ${error.message}\n\n${usage(terminalWidth(io.stderr))}\n`);
    return error.exitCode;
  }
  if (args.help) {
    stdout.write(`${usage(terminalWidth(io.stdout))}\n`);
    return EXIT_OK;
  }
  const progress = args.json ? null : createProgress(io.stderr, colorsFor(io.stderr, io.env), "victor-migrate");
  try {
    const report = await migrateLegacySessions({
      sources: args.sources.length > 0 ? args.sources : undefined,
      fromDb: args.fromDb,
      timeZone: args.timeZone,
      keepBackups: args.keepBackups ?? backupsToKeepFromEnv(io.env),
      dbPath: args.dbPath,
      project: args.project,
      cwd: io.cwd,
      env: io.env,
      dryRun: args.dryRun,
      onConflict: args.onConflict,
      backup: args.backup,
      onProgress: progress ? (event) => progress.onProgress(event) : undefined,
    });
    progress?.stop({ reportFollows: true });
    stdout.write(args.json ? `${stringifyJson(reportToJson(report), 2)}\n` : renderReport(report, colorsFor(io.stdout, io.env), terminalWidth(io.stdout)));
    return report.counts.failed > 0 ? EXIT_SOME_FAILED : EXIT_OK;
  } catch (error) {
    progress?.stop();
    const message = error instanceof Error ? error.message : String(error);
    // The message can quote a path or a file's name: shown, never obeyed by the terminal.
    io.stderr.write(`victor-migrate: ${sanitizeLine(message.replace(/\s*\n\s*/g, " "))}\n`);
    if (args.debug && error instanceof Error && error.stack) io.stderr.write(`${sanitizeText(error.stack)}\n`);
    return error instanceof VictorError && error.exitCode === EXIT_USAGE ? EXIT_USAGE : EXIT_FATAL;
  }
}

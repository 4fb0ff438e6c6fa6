import { type Session, SessionNotFoundError } from "@victor/core";
import { once } from "node:events";
import { createWriteStream, renameSync, rmSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Writable } from "node:stream";
import type { Argv, CommandModule } from "yargs";
import { CliError } from "../../errors.js";
import { renderMarkdown } from "../../ui/transcript.js";
import { type GlobalArgs, checkId, outColors, plural, say, withReadStore } from "./shared.js";

export type ExportFormat = "json" | "markdown";

export interface ExportArgs extends GlobalArgs {
  id?: string;
  output?: string;
  pretty: boolean;
  format: ExportFormat;
}

/** `JSON.stringify(x, null, 2)` of one array element, indented as it would be inside the array. */
function prettyElement(session: Session): string {
  return `  ${JSON.stringify(session, null, 2).replace(/\n/g, "\n  ")}`;
}

/** The store streams sessions asynchronously; tests and `export ID` pass plain arrays. */
type AnyIterable<T> = AsyncIterable<T> | Iterable<T>;

/**
 * The chunks of an export, one session at a time, so memory stays flat however many there are.
 * JSON: an array of envelopes, byte-identical to JSON.stringify(array, null, 2) when pretty (compact
 * otherwise). Markdown: one transcript per session, separated by rules.
 */
export async function* exportChunks(sessions: AnyIterable<Session>, options: { format: ExportFormat; pretty: boolean }): AsyncGenerator<string> {
  let first = true;
  if (options.format === "markdown") {
    for await (const session of sessions) {
      yield `${first ? "" : "\n---\n\n"}${renderMarkdown(session)}`;
      first = false;
    }
    return;
  }
  for await (const session of sessions) {
    if (options.pretty) yield `${first ? "[\n" : ",\n"}${prettyElement(session)}`;
    else yield `${first ? "[" : ","}${JSON.stringify(session)}`;
    first = false;
  }
  yield first ? "[]\n" : options.pretty ? "\n]\n" : "]\n";
}

/** Writes chunks to a stream, waiting whenever its buffer is full (backpressure). Returns how many. */
export async function writeChunks(chunks: AnyIterable<string>, sink: Writable): Promise<void> {
  for await (const chunk of chunks) {
    if (!sink.write(chunk, "utf8")) await once(sink, "drain");
  }
}

/** Counts the sessions passing through, for the closing report. */
async function* counted(sessions: AnyIterable<Session>, counter: { n: number }): AsyncGenerator<Session> {
  for await (const session of sessions) {
    counter.n++;
    yield session;
  }
}

/**
 * Exports into FILE through a temporary sibling renamed into place at the end: a failed or
 * interrupted export never leaves a half-written file under the requested name.
 */
async function exportToFile(chunks: AnyIterable<string>, file: string): Promise<void> {
  const target = resolve(file);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  const out = createWriteStream(temp, { encoding: "utf8", mode: 0o600 });
  try {
    try {
      await once(out, "open");
    } catch (error) {
      throw new CliError(`Cannot write ${target}: ${describeFsError(error)}`);
    }
    await writeChunks(chunks, out);
    out.end();
    await once(out, "finish");
    renameSync(temp, target);
  } catch (error) {
    out.destroy();
    rmSync(temp, { force: true });
    throw error;
  }
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "its directory does not exist";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "it is a directory";
  return (error as Error).message;
}

const isEpipe = (error: unknown): boolean => (error as NodeJS.ErrnoException)?.code === "EPIPE";

/** Writes to stdout; a reader that stops early (`| head`) ends the export quietly, as other CLIs do. */
async function exportToStdout(chunks: AnyIterable<string>): Promise<void> {
  const ignore = (error: Error) => {
    if (!isEpipe(error)) throw error;
  };
  process.stdout.on("error", ignore);
  try {
    await writeChunks(chunks, process.stdout);
  } catch (error) {
    if (!isEpipe(error)) throw error;
  }
}

export const exportCommand: CommandModule<GlobalArgs, ExportArgs> = {
  command: "export [id]",
  describe: "Export sessions (all, or one by id) as JSON or a Markdown transcript",
  builder: (y) =>
    y
      .positional("id", { type: "string", describe: "Export only this session (id or unique prefix)" })
      .option("output", { alias: "o", type: "string", describe: "Write to FILE instead of stdout" })
      .option("pretty", { type: "boolean", default: true, describe: "Indent the JSON (--no-pretty for one line)" })
      .option("format", { alias: "f", choices: ["json", "markdown"] as const, default: "json" as const, describe: "json (importable) or markdown (readable)" }) as unknown as Argv<ExportArgs>,
  handler: async (args) => {
    const id = args.id === undefined ? undefined : checkId(args.id);
    const counter = { n: 0 };
    await withReadStore(args, async (store) => {
      let sessions: AnyIterable<Session>;
      if (id !== undefined) {
        if (!store) throw new SessionNotFoundError(id);
        sessions = [await store.getSession(id)];
      } else sessions = store ? store.exportSessions() : [];
      const chunks = exportChunks(counted(sessions, counter), { format: args.format, pretty: args.pretty });
      if (args.output) await exportToFile(chunks, args.output);
      else await exportToStdout(chunks);
    });
    if (args.output) {
      const c = outColors();
      say(`${c.green("Exported")} ${plural(counter.n, "session")} to ${resolve(args.output)}${args.format === "markdown" ? " (Markdown)" : ""}.`);
    }
  },
};

import { DamagedSessionError, type Session, SessionNotFoundError } from "@victor/core";
import { sanitizeText, stringifyJson, type Output } from "@victor/terminal";
import { resolve } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { CliError } from "../../errors.js";
import { writeFileSafely } from "../../files/write-file.js";
import { plural } from "../../ui/format.js";
import { renderMarkdown, transcriptOf } from "../../ui/markdown.js";
import { type GlobalArgs, checkId, withReadStore } from "./shared.js";

export type ExportFormat = "json" | "markdown";

export interface ExportArgs extends GlobalArgs {
  id?: string;
  output?: string;
  pretty: boolean;
  format: ExportFormat;
  all?: boolean;
}

/** `JSON.stringify(x, null, 2)` of one array element, indented as it would be inside the array. */
function prettyElement(session: Session): string {
  return `  ${stringifyJson(session, 2).replace(/\n/g, "\n  ")}`;
}

/** The store streams sessions asynchronously; tests and `export ID` pass plain arrays. */
type AnyIterable<T> = AsyncIterable<T> | Iterable<T>;

/**
 * The chunks of an export, one session at a time, so memory stays flat however many there are.
 * JSON: an array of envelopes, as JSON.stringify(array, null, 2) writes it when pretty (compact
 * otherwise), with terminal-active characters as \u escapes (the same value). Markdown: one transcript
 * per session, separated by rules (the context, with a line where messages left it; `all`: those
 * messages too). JSON always carries everything: the context and its history (context_history).
 * Exact stored text either way.
 */
export async function* exportChunks(sessions: AnyIterable<Session>, options: { format: ExportFormat; pretty: boolean; all?: boolean }): AsyncGenerator<string> {
  let first = true;
  if (options.format === "markdown") {
    for await (const session of sessions) {
      yield `${first ? "" : "\n---\n\n"}${renderMarkdown(transcriptOf(session, { all: options.all }))}`;
      first = false;
    }
    return;
  }
  for await (const session of sessions) {
    if (options.pretty) yield `${first ? "[\n" : ",\n"}${prettyElement(session)}`;
    else yield `${first ? "[" : ","}${stringifyJson(session)}`;
    first = false;
  }
  yield first ? "[]\n" : options.pretty ? "\n]\n" : "]\n";
}

/** Writes chunks to our guarded stdout, waiting whenever its buffer is full (backpressure). */
export async function writeChunks(chunks: AnyIterable<string>, out: Output): Promise<void> {
  for await (const chunk of chunks) await out.writeChunk(chunk);
}

async function* sanitized(chunks: AnyIterable<string>): AsyncGenerator<string> {
  for await (const chunk of chunks) yield sanitizeText(chunk);
}

/** Counts the sessions passing through, for the closing report. */
async function* counted(sessions: AnyIterable<Session>, counter: { n: number }): AsyncGenerator<Session> {
  for await (const session of sessions) {
    counter.n++;
    yield session;
  }
}

export const exportCommand: CommandModule<GlobalArgs, ExportArgs> = {
  command: "export [id]",
  describe: "Export sessions (all, or one by id) as JSON or a Markdown transcript",
  builder: (y) =>
    y
      .positional("id", { type: "string", describe: "Export only this session (id or unique prefix)" })
      .option("output", { alias: "o", type: "string", describe: "Write to FILE instead of stdout (a regular file is replaced as a whole, mode 0600)" })
      .option("pretty", { type: "boolean", default: true, describe: "Indent the JSON (--no-pretty for one line)" })
      .option("format", { alias: "f", choices: ["json", "markdown"] as const, default: "json" as const, describe: "json (importable) or markdown (readable)" })
      .option("all", { type: "boolean", describe: "Markdown: also the messages outside the model's context (JSON always has them)" }) as unknown as Argv<ExportArgs>,
  handler: async (args) => {
    const id = args.id === undefined ? undefined : checkId(args.id);
    const counter = { n: 0 };
    const t = args.terminal;
    const written = await withReadStore(args, async (store) => {
      let sessions: AnyIterable<Session>;
      if (id !== undefined) {
        if (!store) throw new SessionNotFoundError(id);
        sessions = [await store.getSession(id, { all: true })];
      } else sessions = store ? store.exportSessions() : [];
      const chunks = exportChunks(counted(sessions, counter), { format: args.format, pretty: args.pretty, all: args.all === true });
      if (args.output) {
        const file = resolve(t.io.cwd, args.output);
        try {
          return await writeFileSafely(file, chunks);
        } catch (error) {
          // A damaged session half way through: the file is left as it was (written whole or not at all).
          if (error instanceof DamagedSessionError) throw new CliError(`${error.message} Nothing was written to ${file}.`, { cause: error });
          throw error;
        }
      }
      // A transcript shown on a terminal is display, not an export: it goes through the sanitiser.
      await writeChunks(t.out.isTTY && args.format === "markdown" ? sanitized(chunks) : chunks, t.out);
      return null;
    });
    if (written) t.tell(`${t.c.green("Exported")} ${plural(counter.n, "session")} to ${written}${args.format === "markdown" ? " (Markdown)" : ""}.`);
  },
};

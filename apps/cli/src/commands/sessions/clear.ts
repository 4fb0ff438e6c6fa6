import type { Argv, CommandModule } from "yargs";
import { UsageError } from "../../errors.js";
import { plural } from "../../ui/format.js";
import { type GlobalArgs, checkId, confirmDestructive, confirmIo, withReadStore, withWriteStore } from "./shared.js";

export interface ClearArgs extends GlobalArgs {
  prefix?: string;
  all?: boolean;
  yes?: boolean;
}

export const MIN_CLEAR_PREFIX = 6;

export type ClearSelector = { prefix: string } | { all: true };

/** `clear PREFIX` or `clear --all`: exactly one, and a prefix long enough not to wipe by accident. */
export function clearSelector(args: Pick<ClearArgs, "prefix" | "all">): ClearSelector {
  const prefix = args.prefix === undefined ? undefined : String(args.prefix);
  if (prefix !== undefined && args.all) throw new UsageError("Give either a PREFIX or --all, not both.");
  if (args.all) return { all: true };
  if (prefix === undefined || prefix === "") {
    throw new UsageError("Say what to clear: victor sessions clear PREFIX (at least 6 characters, e.g. 202501) or --all.");
  }
  if (Array.from(prefix).length < MIN_CLEAR_PREFIX) {
    throw new UsageError(`The prefix must be at least ${MIN_CLEAR_PREFIX} characters (got "${prefix}"); use --all to clear every session.`);
  }
  checkId(prefix);
  return { prefix };
}

const PREVIEW = 5;

/** The first few ids, then how many more. */
function previewOf(ids: readonly string[]): string {
  return ids.slice(0, PREVIEW).join(", ") + (ids.length > PREVIEW ? `, … (${ids.length - PREVIEW} more)` : "");
}

export const clearCommand: CommandModule<GlobalArgs, ClearArgs> = {
  command: "clear [prefix]",
  describe: "Delete every session whose id starts with PREFIX, or all with --all",
  builder: (y) =>
    y
      .positional("prefix", { type: "string", describe: `Id prefix, at least ${MIN_CLEAR_PREFIX} characters (e.g. 202501 for January 2025)` })
      .option("all", { type: "boolean", describe: "Delete every session" })
      .option("yes", { alias: "y", type: "boolean", describe: "Do not ask for confirmation" }) as Argv<ClearArgs>,
  handler: async (args) => {
    const selector = clearSelector(args);
    const what = "prefix" in selector ? `matching prefix "${selector.prefix}"` : "in the database";
    // The exact ids found are the ones deleted: a session saved while the question waits is kept.
    const ids = await withReadStore(args, async (store) => {
      if (!store) return [] as string[];
      if ("prefix" in selector) return store.findSessionIds(selector.prefix, -1);
      return (await store.listSessions({ limit: -1 })).map((s) => s.id);
    });
    const t = args.terminal;
    if (ids.length === 0) {
      t.tell(`Found 0 sessions ${what}; nothing to clear.`);
      return;
    }
    const preview = previewOf(ids);
    const found = plural(ids.length, "session");
    const ok = await confirmDestructive(`Delete ${found} ${what} (${preview})?`, { yes: args.yes, action: `clear ${found}` }, confirmIo(args));
    if (!ok) {
      t.tell(`Found ${found} ${what}; cancelled, nothing was deleted.`);
      return;
    }
    const { cleared, kept } = await withWriteStore(args, async (store) => {
      const cleared = await store.deleteSessions({ ids });
      // On a server, row-level security keeps a teammate's shared session from being deleted: say which.
      const kept: string[] = [];
      if (cleared < ids.length) for (const id of ids) if (await store.hasSession(id)) kept.push(id);
      return { cleared, kept };
    });
    const keptNote = kept.length === 0 ? "" : `; kept ${plural(kept.length, "session")} that ${kept.length === 1 ? "is" : "are"} not yours to delete (shared by a teammate): ${previewOf(kept)}`;
    t.tell(`Found ${found} ${what}; ${t.c.green(`cleared ${cleared}`)}${keptNote}.`);
  },
};

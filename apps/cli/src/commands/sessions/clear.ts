import type { Argv, CommandModule } from "yargs";
import { UsageError } from "../../errors.js";
import { type GlobalArgs, checkId, confirmDestructive, outColors, plural, say, withReadStore, withWriteStore } from "./shared.js";

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
    const { found, sample } = await withReadStore(args, async (store) => {
      if (!store) return { found: 0, sample: [] as string[] };
      if ("prefix" in selector) {
        const ids = await store.findSessionIds(selector.prefix, -1);
        return { found: ids.length, sample: ids.slice(0, 5) };
      }
      return { found: await store.countSessions(), sample: (await store.listSessions({ limit: 5 })).map((s) => s.id) };
    });
    const c = outColors();
    if (found === 0) {
      say(`Found 0 sessions ${what}; nothing to clear.`);
      return;
    }
    const preview = sample.join(", ") + (found > sample.length ? `, … (${found - sample.length} more)` : "");
    const ok = await confirmDestructive(`Delete ${plural(found, "session")} ${what} (${preview})?`, {
      yes: args.yes,
      action: `clear ${plural(found, "session")}`,
    });
    if (!ok) {
      say(`Found ${plural(found, "session")} ${what}; cancelled, nothing was deleted.`);
      return;
    }
    const cleared = await withWriteStore(args, (store) => store.deleteSessions(selector));
    say(`Found ${plural(found, "session")} ${what}; ${c.green(`cleared ${cleared}`)}.`);
  },
};

import { SessionNotFoundError } from "@victor/core";
import type { Argv, CommandModule } from "yargs";
import { UsageError } from "../../errors.js";
import { sanitizeLine } from "@victor/terminal";
import { type GlobalArgs, checkId, withReadStore, withWriteStore } from "./shared.js";

export interface RenameArgs extends GlobalArgs {
  id: string;
  title: string[];
}

/** The words after the id form the title; whitespace collapses as it does in the store. */
export function titleFrom(words: readonly unknown[] | undefined): string {
  const title = (words ?? []).map(String).join(" ").replace(/\s+/g, " ").trim();
  if (title === "") throw new UsageError('Give the new title: victor sessions rename ID "New title"');
  return title;
}

export const renameCommand: CommandModule<GlobalArgs, RenameArgs> = {
  command: "rename <id> <title..>",
  describe: "Set a session's title",
  builder: (y) =>
    y
      .positional("id", { type: "string", describe: "Session id or a unique prefix of one", demandOption: true })
      .positional("title", { type: "string", array: true, describe: "The new title" }) as unknown as Argv<RenameArgs>,
  handler: async (args) => {
    const id = checkId(args.id);
    const title = titleFrom(args.title);
    // Check existence read-only first so an unknown id never creates a database.
    await withReadStore(args, async (store) => {
      if (!store) throw new SessionNotFoundError(id);
      await store.resolveSessionId(id);
    });
    const { sessionId } = await withWriteStore(args, (store) => store.renameSession(id, title));
    const t = args.terminal;
    t.tell(`${t.c.green("Renamed")} ${sessionId} to "${sanitizeLine(title)}".`);
  },
};

import type { SessionSummary } from "@victor/core";
import { readNewestSessions, type SessionPage } from "@victor/core/lite";
import { UsageError } from "@victor/terminal";
import { existsSync } from "node:fs";
import type { Argv, CommandModule } from "yargs";
import { parseCount } from "../../parse-count.js";
import { storeLocationFor } from "../../location.js";
import { ALL_PROJECTS_HELP, NO_SESSIONS, NO_SESSIONS_HINT, renderSessionsTable, sessionsFooter } from "../../ui/session-views.js";
import { toJsonSummary } from "./json-vocabulary.js";
import type { GlobalArgs } from "./shared.js";

export interface ListArgs extends GlobalArgs {
  limit?: number;
  all?: boolean;
  json?: boolean;
  "all-projects"?: boolean;
}

export const DEFAULT_LIST_LIMIT = 10;

/** How many sessions to list: --limit N, --all (every one, as -1 for the store), default 10. */
export function listLimit(args: Pick<ListArgs, "limit" | "all">): number {
  const limit = args.limit === undefined ? undefined : parseCount(args.limit, "--limit");
  if (args.all && limit !== undefined) throw new UsageError("Use either --limit N or --all, not both.");
  if (args.all) return -1;
  return limit ?? DEFAULT_LIST_LIMIT;
}

export const listCommand: CommandModule<GlobalArgs, ListArgs> = {
  command: ["list", "ls"],
  describe: "List saved sessions, most recently updated first",
  builder: (y) =>
    y
      .option("limit", { alias: "n", type: "number", describe: `How many sessions to show (default ${DEFAULT_LIST_LIMIT})` })
      .option("all", { alias: "a", type: "boolean", describe: "Show every session" })
      .option("json", { type: "boolean", describe: "Print JSON (an array of session summaries)" })
      .option("all-projects", { type: "boolean", describe: ALL_PROJECTS_HELP }) as Argv<ListArgs>,
  handler: async (args) => {
    const limit = listLimit(args);
    const allProjects = args["all-projects"] === true;
    const { sessions, total } = (allProjects ? null : pageFromFile(args, limit)) ?? (await pageFromStore(args, limit, allProjects));
    const t = args.terminal;
    if (args.json) return t.printJson(sessions.map(toJsonSummary));
    if (sessions.length === 0) {
      t.say(NO_SESSIONS);
      t.note(NO_SESSIONS_HINT);
      return;
    }
    t.say(renderSessionsTable(t.c, sessions, t.width(), { projects: allProjects }));
    for (const line of sessionsFooter(sessions.length, total)) t.note(line);
  },
};

/** A page of sessions and how many there are in all (null: more than shown, not counted). */
type ListedPage = Omit<SessionPage, "total"> & { total: number | null };

/**
 * The page straight from the project's SQLite file when it is at this build's schema (the usual
 * case, and all a cold start should pay for: see readNewestSessions), else null.
 */
function pageFromFile(args: ListArgs, limit: number): SessionPage | null {
  const location = storeLocationFor(args, args.terminal.io);
  if (location.engine !== "sqlite") return null;
  // No file yet: nothing to list, and nothing to create (as withReadStore).
  if (!existsSync(location.path)) return { sessions: [], total: 0 };
  return readNewestSessions(location.path, limit);
}

/** The page through the store: a server's, or a file the store has to migrate or refuse. */
async function pageFromStore(args: ListArgs, limit: number, allProjects: boolean): Promise<ListedPage> {
  // Loaded here: the store and its engines are what a cold start avoids.
  const { withReadStore } = await import("./shared.js");
  return withReadStore(args, async (store) => {
    if (!store) return { sessions: [] as SessionSummary[], total: 0 };
    if (allProjects && limit >= 0) {
      // The count is this project's: across projects, one session past the page says whether there are more.
      const page = await store.listSessions({ limit: limit + 1, allProjects });
      return { sessions: page.slice(0, limit), total: page.length > limit ? null : page.length };
    }
    const sessions = await store.listSessions({ limit, allProjects });
    // Past the first page, the total is counted.
    const total = limit < 0 || sessions.length < limit ? sessions.length : await store.countSessions();
    return { sessions, total };
  });
}

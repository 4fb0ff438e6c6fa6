import { SessionNotFoundError, type SessionTree, type SessionTreeNode } from "@victor/core";
import type { Argv, CommandModule } from "yargs";
import { UsageError } from "../../errors.js";
import { parseCount } from "../../parse-count.js";
import { NO_SESSIONS } from "../../ui/session-views.js";
import { renderSessionTree } from "../../ui/tree-view.js";
import { toJsonSummary } from "./json-vocabulary.js";
import { type GlobalArgs, checkId, withReadStore } from "./shared.js";

export interface TreeArgs extends GlobalArgs {
  id?: string;
  limit?: number;
  all?: boolean;
  json?: boolean;
}

const DEFAULT_TREES = 10;

/** A tree node in the snake_case vocabulary of every --json. */
function toJsonNode(node: SessionTreeNode): Record<string, unknown> {
  return {
    ...toJsonSummary(node.summary),
    out_of_context: node.outOfContext,
    changes: node.epochs,
    forks: node.forks.map(toJsonNode),
  };
}

export const treeCommand: CommandModule<GlobalArgs, TreeArgs> = {
  command: "tree [id]",
  describe: "Draw sessions with their forks and compactions (a session's whole tree, or the latest trees)",
  builder: (y) =>
    y
      .positional("id", { type: "string", describe: "Draw the tree holding this session (id or unique prefix)" })
      .option("limit", { alias: "n", type: "number", describe: `Without an id: how many trees (default ${DEFAULT_TREES})` })
      .option("all", { type: "boolean", describe: "Without an id: every tree" })
      .option("json", { type: "boolean", describe: "Print the trees as JSON" }) as unknown as Argv<TreeArgs>,
  handler: async (args) => {
    const id = args.id === undefined ? undefined : checkId(args.id);
    if (args.all && args.limit !== undefined) throw new UsageError("Use --limit N or --all, not both.");
    const limit = args.all ? -1 : args.limit === undefined ? DEFAULT_TREES : parseCount(args.limit, "--limit");
    const { tree, focus } = await withReadStore(args, async (store) => {
      if (!store) {
        if (id !== undefined) throw new SessionNotFoundError(id);
        return { tree: { roots: [], missingParents: [] } as SessionTree, focus: undefined };
      }
      const focus = id === undefined ? undefined : await store.resolveSessionId(id);
      return { tree: await store.sessionTree(focus, { limit }), focus };
    });
    const t = args.terminal;
    if (args.json) return t.printJson({ trees: tree.roots.map(toJsonNode), missing_parents: tree.missingParents });
    if (tree.roots.length === 0) {
      t.say(NO_SESSIONS);
      return;
    }
    t.say(renderSessionTree(t.c, tree, { focus, width: t.width() }));
  },
};

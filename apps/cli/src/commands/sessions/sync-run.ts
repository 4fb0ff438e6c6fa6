import { pullSessions, pushSessions, type SyncOptions, type SyncReport } from "@victor/core";
import type { Terminal } from "../../io.js";
import { renderSyncReport, syncReportToJson } from "../../ui/sync-report.js";
import { checkId, type GlobalArgs } from "./shared.js";
import { SyncIncompleteError, type SyncStores } from "./sync-stores.js";

export interface SyncArgs extends GlobalArgs {
  ids?: string[];
  json?: boolean;
}

/** Progress on a terminal's stderr: one line, redrawn after each batch; nothing in a pipe or with --json. */
function progress(t: Terminal, quiet: boolean, label: string): SyncOptions["onProgress"] {
  if (quiet || t.io.stderr.isTTY !== true) return undefined;
  return (done, total) => {
    if (total > 0) t.writeErr(`\r${label} ${done}/${total} sessions${done === total ? "\r\u001b[K" : ""}`);
  };
}

/** The ids named on the command line, checked before anything is opened. */
/** The help of --to / --from / --remote: which store is the other side. */
export const REMOTE_HELP = 'Where: postgres://USER@HOST/DB or a file (default: VICTOR_REMOTE_URL, else "remote" in .victor/config.json)';

export const namedIds = (args: SyncArgs): string[] | undefined => (args.ids && args.ids.length > 0 ? args.ids.map(checkId) : undefined);

export async function runDirection(stores: SyncStores, direction: "push" | "pull", args: SyncArgs, options: SyncOptions): Promise<SyncReport | null> {
  const t = args.terminal;
  if (!stores.local) return null;
  const run = direction === "push" ? pushSessions : pullSessions;
  return run(stores.local, stores.remote, { ...options, onProgress: progress(t, args.json === true, direction === "push" ? "Pushing" : "Pulling") });
}

/** Prints one or both reports (JSON: one object, or { push, pull } for sync); exit 3 when some sessions failed. */
export function printReports(args: SyncArgs, stores: Pick<SyncStores, "project" | "localName">, reports: { push?: SyncReport | null; pull?: SyncReport | null }): void {
  const t = args.terminal;
  const entries = Object.entries(reports) as ["push" | "pull", SyncReport | null][];
  if (args.json) {
    const json = entries.map(([direction, report]) => [direction, report ? syncReportToJson(report, stores.project) : null] as const);
    t.printJson(json.length === 1 ? json[0]![1] : Object.fromEntries(json));
  } else {
    for (const [direction, report] of entries) {
      if (report) t.say(renderSyncReport(report, t.c, t.width(), stores.project));
      else if (direction === "push") t.tell(`No sessions here to push: ${stores.localName} does not exist yet.`);
    }
  }
  const failed = entries.reduce((n, [, report]) => n + (report?.counts.failed ?? 0), 0);
  if (failed > 0) throw new SyncIncompleteError(failed, entries.length === 1 ? entries[0]![0] : "synced");
}

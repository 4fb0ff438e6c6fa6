import { currentProjectKey } from "@victor/core";
import { existsSync, statSync } from "node:fs";
import type { Argv, CommandModule } from "yargs";
import { describeLocation } from "../../store.js";
import { storeLocationFor } from "../../location.js";
import { renderPanel } from "@victor/terminal";
import { formatBytes, formatTimestamp } from "../../ui/format.js";
import { type GlobalArgs, withReadStore } from "./shared.js";

export interface StatsArgs extends GlobalArgs {
  json?: boolean;
}

export interface Stats {
  dbPath: string;
  exists: boolean;
  sessions: number;
  messages: number;
  /** Bytes of the database file plus its -wal and -shm companions; null for a server (its size is not ours to report). */
  sizeBytes: number | null;
  oldest: string | null;
  newest: string | null;
  models: Record<string, number>;
}


function fileSize(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

export const statsCommand: CommandModule<GlobalArgs, StatsArgs> = {
  command: "stats",
  describe: "How many sessions and messages are stored, where, and how big the database is",
  builder: (y) => y.option("json", { type: "boolean", describe: "Print JSON" }) as Argv<StatsArgs>,
  handler: async (args) => {
    const location = storeLocationFor(args, args.terminal.io);
    const dbPath = describeLocation(location);
    const stats = await withReadStore(args, async (store): Promise<Stats> => {
      const empty: Stats = { dbPath, exists: store !== null, sessions: 0, messages: 0, sizeBytes: 0, oldest: null, newest: null, models: {} };
      if (!store) return empty;
      const totals = await store.stats();
      const models: Record<string, number> = {};
      for (const [model, n] of Object.entries(totals.models)) models[model || "(none)"] = n;
      const { messages, oldest, newest } = totals;
      return { ...empty, dbPath: store.dbPath, sessions: totals.sessions, messages, oldest, newest, models };
    });
    stats.sizeBytes = location.engine === "sqlite" ? fileSize(stats.dbPath) + fileSize(`${stats.dbPath}-wal`) + fileSize(`${stats.dbPath}-shm`) : null;
    const t = args.terminal;
    if (args.json) {
      const { dbPath: db_path, sizeBytes: size_bytes, ...rest } = stats;
      return t.printJson({ db_path, ...rest, size_bytes });
    }
    const topModels = Object.entries(stats.models)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([m, n]) => `${m} (${n})`)
      .join(", ");
    const lines: [string, string][] = [
      ["Sessions", String(stats.sessions)],
      ["Messages", String(stats.messages)],
      ["Database", stats.exists ? stats.dbPath : `${stats.dbPath} (not created yet)`],
    ];
    if (stats.sizeBytes !== null) lines.push(["Size", formatBytes(stats.sizeBytes)]);
    else lines.push(["Project", currentProjectKey({ project: args.project, cwd: t.io.cwd, env: t.io.env }) ?? "-"]);
    if (stats.oldest) lines.push(["Oldest", formatTimestamp(stats.oldest)]);
    if (stats.newest) lines.push(["Newest", formatTimestamp(stats.newest)]);
    if (topModels) lines.push(["Top models", topModels]);
    t.say(renderPanel(t.c, "Session Stats", lines, { width: t.width() }));
  },
};

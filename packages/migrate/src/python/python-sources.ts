import {
  openPythonDatabase,
  PYTHON_SCHEMA_NAMES,
  pythonSourceKey,
  upgradePythonDatabase,
  type BackupResult,
  type ConflictPolicy,
  type ImportItem,
  type ImportSimulation,
  type LedgerEntry,
  type PythonSessionRecord,
  type PythonUpgradePlan,
} from "@victor/core";
import type { FileResult, PythonUpgradeReport } from "../report.js";
import { fileResult, importResult } from "../results.js";
import type { MigrationWriter } from "../writer.js";
import { convertPythonSession } from "./convert-python.js";

export interface PythonRunContext {
  timeZone: string;
  onConflict: ConflictPolicy;
  keepBackups?: number;
  finish(result: FileResult): void;
  onBackup(backup: BackupResult): void;
}

const BATCH = 100;

function describe(dbPath: string, plan: PythonUpgradePlan, done: boolean): PythonUpgradeReport {
  return {
    dbPath,
    schemaName: PYTHON_SCHEMA_NAMES[plan.info.kind],
    sessions: plan.info.sessionCount,
    renamed: plan.renamed,
    droppedTriggers: plan.droppedTriggers.map((t) => t.name),
    done,
  };
}

function failedResult(dbPath: string, record: PythonSessionRecord, reason: string): FileResult {
  return fileResult(pythonSourceKey(dbPath, record), "failed", { requestedId: record.key, reason });
}

/** Upgrades the target database in place (see core's upgradePythonDatabase); null when it is not a Python one. */
export async function upgradeInPlace(dbPath: string, ctx: PythonRunContext): Promise<PythonUpgradeReport | null> {
  const done = await upgradePythonDatabase(dbPath, {
    keepBackups: ctx.keepBackups,
    convert: (record) => convertPythonSession(record, { dbPath, timeZone: ctx.timeZone, onConflict: ctx.onConflict }),
    onBackup: ctx.onBackup,
    onSession: ({ record, result, failed }) =>
      ctx.finish(failed !== null || result === null ? failedResult(dbPath, record, failed ?? "not imported") : importResult(pythonSourceKey(dbPath, record), record.key, result)),
  });
  return done ? describe(dbPath, done.plan, true) : null;
}

/** --dry-run of the in-place upgrade: the same plan and conversions, imports simulated into Victor's fresh tables. */
export async function simulateUpgrade(dbPath: string, simulation: ImportSimulation, ctx: PythonRunContext): Promise<PythonUpgradeReport> {
  const reader = await openPythonDatabase(dbPath);
  try {
    for (const record of reader.sessions()) {
      const converted = convertPythonSession(record, { dbPath, timeZone: ctx.timeZone, onConflict: ctx.onConflict });
      if ("failed" in converted) ctx.finish(failedResult(dbPath, record, converted.failed));
      else ctx.finish(importResult(converted.item.source!.key, record.key, (await simulation.run([converted.item]))[0]!));
    }
    return describe(dbPath, reader.plan!, false);
  } finally {
    reader.close();
  }
}

/** How many sessions a Python Victor database holds (for the progress total). */
export async function countPythonSessions(path: string): Promise<{ count: number; schemaName: string }> {
  const reader = await openPythonDatabase(path);
  try {
    return { count: reader.info.sessionCount, schemaName: PYTHON_SCHEMA_NAMES[reader.info.kind] };
  } finally {
    reader.close();
  }
}

/** --from-db PATH: imports every session of another Python Victor database, which is only read. */
export async function importFromPythonDatabase(path: string, writer: MigrationWriter, ctx: PythonRunContext): Promise<void> {
  const reader = await openPythonDatabase(path);
  try {
    let batch: { record: PythonSessionRecord; item: ImportItem }[] = [];
    const flush = async (): Promise<void> => {
      const outcomes = await writer.importItems(batch.map((b) => b.item));
      const late: LedgerEntry[] = [];
      batch.forEach(({ record, item }, i) => {
        const outcome = outcomes[i]!;
        const key = item.source!.key;
        if (outcome instanceof Error) {
          late.push({ sourcePath: key, size: record.size, sha256: record.sha256, sessionId: null, outcome: "failed", reason: outcome.message, importedAt: new Date().toISOString(), revision: null });
        }
        ctx.finish(importResult(key, record.key, outcome));
      });
      await writer.recordFailures(late);
      batch = [];
    };
    for (const record of reader.sessions()) {
      const converted = convertPythonSession(record, { dbPath: path, timeZone: ctx.timeZone, onConflict: ctx.onConflict });
      if ("failed" in converted) {
        const reason = converted.failed;
        await writer.recordFailures([{ sourcePath: pythonSourceKey(path, record), size: record.size, sha256: record.sha256, sessionId: null, outcome: "failed", reason, importedAt: new Date().toISOString(), revision: null }]);
        ctx.finish(failedResult(path, record, reason));
        continue;
      }
      batch.push({ record, item: converted.item });
      if (batch.length >= BATCH) await flush();
    }
    await flush();
  } finally {
    reader.close();
  }
}

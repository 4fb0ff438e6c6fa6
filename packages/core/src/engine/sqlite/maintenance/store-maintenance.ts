import { DatabaseOpenError } from "../../../domain/errors.js";
import { previewText } from "../../../domain/preview-text.js";
import type { SqliteEngine } from "../engine.js";
import { writeVerifiedBackup } from "./backup.js";
import type { BackupResult } from "./types.js";

/** Maintenance of an open store's SQLite file, run in the engine's queue (never inside a transaction of the store). */
export function storeMaintenance(engine: SqliteEngine) {
  return {
    async backupTo(destination?: string, options: { keep?: number } = {}): Promise<BackupResult> {
      if (engine.readonly) throw new DatabaseOpenError(engine.location, "it was opened read-only; a backup needs the write lock for a moment");
      return engine.withConnection(({ path, sqlite }) => {
        sqlite.exec("BEGIN IMMEDIATE");
        try {
          return writeVerifiedBackup(path, sqlite, { destination, keep: options.keep });
        } finally {
          sqlite.exec("ROLLBACK");
        }
      });
    },

    async integrityCheck(): Promise<string> {
      return engine.withConnection(({ sqlite }) => (sqlite.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check).join("\n"));
    },

    async rebuildSearchIndex(): Promise<number> {
      return engine.write(async (access) => access.rebuildSearchIndex(previewText));
    },
  };
}

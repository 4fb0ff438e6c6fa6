// SQLite-specific maintenance: the Python Victor's databases (recognise, read, upgrade in place),
// verified backups and restores. Kept apart from the session store: it works on files, not sessions.
export { backupsToKeepFromEnv, type BackupResult } from "./backup.js";
export { restoreDatabase, type DatabaseContent, type RestoreResult } from "./restore.js";
export { PYTHON_SCHEMA_NAMES, type PythonDatabaseInfo, type PythonSchemaKind, type PythonTables } from "./python-schema.js";
export type { PythonRow, PythonSessionRecord, PythonValue } from "./python-rows.js";
export type { DroppedTrigger, PythonUpgradePlan, RenamedObject } from "./python-upgrade.js";
export { openPythonDatabase, type PythonDatabaseReader } from "./python-reader.js";
export {
  pythonSourceKey,
  upgradePythonDatabase,
  type PythonConversion,
  type PythonSessionOutcome,
  type PythonUpgradeOptions,
  type PythonUpgradeResult,
} from "./upgrade-in-place.js";

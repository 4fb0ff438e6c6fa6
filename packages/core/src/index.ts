// The public API of @victor/core. Nothing here loads a database driver: each engine (and SQLite's
// maintenance) is imported when it is first used, so no driver type appears in these declarations.
export * from "./domain/errors.js";
export * from "./domain/types.js";
export { SESSION_ID_PATTERN, assertValidSessionId, isValidSessionId, timestampSessionId } from "./domain/ids.js";
export { UNTITLED, deriveTitle } from "./domain/titles.js";
export { assertTimeZone, isoNow, toIsoUtc } from "./domain/time.js";
export {
  DB_FILE_NAME,
  PROJECT_DIR_NAME,
  expandHome,
  findProjectRoot,
  isPostgresUrl,
  legacySessionDirs,
  resolveDbPath,
  resolveStoreLocation,
  type StoreLocation,
} from "./domain/paths.js";
export { currentProjectKey, projectKeyFromRemote, resolveProjectKey, type CurrentProjectOptions } from "./domain/project-key.js";
export { CONFIG_FILE_NAME, projectConfigPath, readProjectConfig, type ProjectConfig } from "./domain/project-config.js";
export { ImportLedger, SessionStore } from "./store.js";
export { getSessionPersistence, openSessionStore } from "./open.js";
export { pullSessions, pushSessions, type SyncOptions } from "./sync/sync-sessions.js";
export { SYNC_STATUSES, type SyncDirection, type SyncReport, type SyncSessionResult, type SyncStatus } from "./sync/report.js";
export type { EngineKind } from "./engine/engine.js";
export { toFtsQuery } from "./engine/sqlite/fts-query.js";
export { redactUrl } from "./engine/pg/url.js";
export { parseSessionEnvelope, toSaveInput } from "./domain/envelope.js";
export { ImportSimulation } from "./domain/import-simulation.js";
export { STORED_OUTCOMES } from "./domain/import-decision.js";
export { NewestCopies, copyRankOf, type CopyRank } from "./domain/import-batch.js";
export { checkSaveInput } from "./domain/save-plan.js";
export * from "./sqlite-maintenance.js";

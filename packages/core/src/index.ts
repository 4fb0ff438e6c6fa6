export * from "./errors.js";
export * from "./types.js";
export { SESSION_ID_PATTERN, assertValidSessionId, isValidSessionId, timestampSessionId } from "./ids.js";
export { UNTITLED, deriveTitle } from "./titles.js";
export { isoNow, toIsoUtc } from "./time.js";
export { DB_FILE_NAME, PROJECT_DIR_NAME, expandHome, findProjectRoot, legacySessionDirs, resolveDbPath } from "./paths.js";
export { SessionStore, getSessionPersistence, openSessionStore } from "./store.js";
export { toFtsQuery } from "./search.js";
export { parseSessionEnvelope, toSaveInput } from "./envelope.js";

// What a cold start needs of @victor/core, as a module that loads neither drizzle nor an engine
// (`victor sessions list` imports only this; see engine/sqlite/quick-list.ts). The same functions
// and classes as the main entry exports: one copy of each, shared by both.
export { VictorError } from "./domain/errors.js";
export { isPostgresUrl, resolveStoreLocation, type StoreLocation } from "./domain/paths.js";
export { redactUrl } from "./engine/pg/url.js";
export { readNewestSessions, type SessionPage } from "./engine/sqlite/quick-list.js";

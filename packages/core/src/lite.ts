// What a cold start needs of @victor/core, without drizzle or an engine: where the store is, and
// the newest sessions of an SQLite file (`victor sessions list` imports only this; see
// engine/sqlite/quick-list.ts). Built as one self-contained file (scripts/bundle.mjs), so it holds
// its own copies of what it uses: only functions and plain data, never a class whose identity
// matters (an error class here would not be the main entry's).
export { isPostgresUrl, resolveStoreLocation, type StoreLocation } from "./domain/paths.js";
export { readNewestSessions, type SessionPage } from "./engine/sqlite/quick-list.js";

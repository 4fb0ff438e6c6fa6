export { migrateLegacySessions, type MigrateOptions } from "./migrate.js";
export { findUnmigratedLegacyFiles, type UnmigratedFiles, type UnmigratedOptions } from "./unmigrated.js";
export { OUTCOMES, type FileOutcome, type FileResult, type MigrationCounts, type MigrationReport, type ProgressEvent } from "./report.js";
export { parseLegacyBytes, type ParsedLegacyFile } from "./read-legacy-file.js";
export { validateLegacySession, type LegacySession } from "./legacy-schema.js";
export { convertLegacySession, type ImportInput } from "./convert.js";
export { convertLegacyFile, loadLegacySessionFile, type ConvertedLegacyFile } from "./load-legacy-file.js";
export { repairTruncatedSession } from "./recover-truncated.js";
export { SourceDirError } from "./sources.js";

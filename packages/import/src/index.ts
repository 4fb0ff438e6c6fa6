export { importSessionsFromTools, type ImportOptions } from "./runner.js";
export { IMPORT_OUTCOMES, type IgnoredKind, type ImportFileResult, type ImportOutcome, type ImportProgressEvent, type ImportReport, type OutcomeCounts } from "./report.js";
export { TOOLS, TOOL_NAMES, type Tool } from "./types.js";
export { defaultSource, sourceEnv } from "./sources.js";
export { findImportableSessions, type ImportableOptions, type ImportableSessions } from "./importable.js";
export { importReportToJson } from "./json-report.js";

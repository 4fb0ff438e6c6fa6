export { sanitizeLine, sanitizeText, hasControlCharacters } from "./sanitize.js";
export { displayWidth, padToWidth, terminalWidth, truncateToWidth, wrapIndented, wrapToWidth } from "./width.js";
export { colorEnabled, colorsFor, type Colors } from "./colors.js";
export { renderTable, type Column } from "./table.js";
export { renderPanel } from "./panel.js";
export { Output, OutputClosedError, OutputFailedError, type WritableTerminal } from "./output.js";
export { UsageError } from "./usage-error.js";
export { stringifyJson } from "./json.js";
export { listedLines } from "./listing.js";

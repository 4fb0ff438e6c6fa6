export { makeTempDir, type TempDir } from "./temp-dir.js";
export { runNode, type RunResult } from "./run-node.js";

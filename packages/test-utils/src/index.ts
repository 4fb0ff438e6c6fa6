export { makeTempDir, type TempDir } from "./temp-dir.js";
export { runNode, startNode, type InteractiveNode, type RunResult } from "./node-process.js";
export { startFakeLlmServer, chunkText, type FakeLlmServer, type FakeLlmServerOptions, type ScriptedReply, type RecordedRequest, type RequestBody, type RequestMessage } from "./llm-server.js";
export { startOpenAiServer } from "./openai-server.js";
export { startAnthropicServer } from "./anthropic-server.js";
export { startPty, KEYS, type PtySession, type PtyOptions } from "./pty.js";
export { PG_URL_VARIABLE, createPgTestDatabase, pgSkipNotice, pgTestUrl, type PgTestDatabase, type PgTestRole } from "./pg.js";

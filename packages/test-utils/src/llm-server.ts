import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One scripted answer of a fake LLM server. */
export type ScriptedReply =
  /**
   * Streams `text` in a few chunks, then ends the reply normally — or, with `finishReason: "length"`,
   * as a reply cut off at the model's output limit (OpenAI "length", Anthropic "max_tokens").
   */
  | { text: string; finishReason?: "stop" | "length" }
  /** Answers with this HTTP status and an error body (no stream). */
  | { status: number; message?: string }
  /** Streams the first part of `text`, then destroys the connection mid-reply. */
  | { text: string; cutAfterChunks: number }
  /** Streams the first part of `text`, then sends nothing more, keeping the connection open (a slow model). */
  | { text: string; hangAfterChunks: number }
  /** Streams `text` in `parts` chunks (default 3) `chunkDelayMs` apart, then ends normally (a slow but complete reply). */
  | { text: string; chunkDelayMs: number; parts?: number };

/** One message of a recorded request, in whichever protocol's shape (OpenAI or Anthropic). */
export interface RequestMessage {
  role: string;
  content: unknown;
  tool_calls?: { id?: string; function?: { name?: string; arguments?: string } }[];
  tool_call_id?: string;
  [key: string]: unknown;
}

/** A request body as JSON (an unparseable body is kept as `{ raw }`). */
export interface RequestBody {
  model?: string;
  messages?: RequestMessage[];
  system?: unknown;
  [key: string]: unknown;
}

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage["headers"];
  body: RequestBody;
}

export interface FakeLlmServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Every request body received, in order. */
  requests: RecordedRequest[];
  /** Queue replies; when the queue is empty the server answers `defaultReply(body, n)`. */
  script(...replies: ScriptedReply[]): void;
  close(): Promise<void>;
}

export interface FakeLlmServerOptions {
  replies?: ScriptedReply[];
  /** Reply used when no scripted reply is queued. Default: `Reply <n> from <kind>`. */
  defaultReply?: (body: RequestBody, n: number) => string;
}

/** Splits text into ~3 chunks so the client really sees a stream. */
export function chunkText(text: string, parts = 3): string[] {
  if (text.length === 0) return [""];
  const size = Math.max(1, Math.ceil(text.length / parts));
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks;
}

export interface Protocol {
  kind: string;
  endpoint: string;
  /** SSE events (each a full `data:`/`event:` block) for a reply made of these text chunks. */
  start(body: RequestBody): string[];
  delta(chunk: string): string[];
  finish(reason?: "stop" | "length"): string[];
  errorBody(status: number, message: string): unknown;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString("utf8");
}

/** A local HTTP server on 127.0.0.1 (random port) speaking a streaming LLM protocol with scripted replies. */
export async function startFakeLlmServer(protocol: Protocol, options: FakeLlmServerOptions = {}): Promise<FakeLlmServer> {
  const queue: ScriptedReply[] = [...(options.replies ?? [])];
  const requests: RecordedRequest[] = [];
  const defaultReply = options.defaultReply ?? ((_body: unknown, n: number) => `Reply ${n} from ${protocol.kind}`);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (req.method !== "POST" || path !== protocol.endpoint) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify(protocol.errorBody(404, `no route ${req.method} ${path}`)));
      return;
    }
    let body: RequestBody;
    try {
      body = JSON.parse(raw) as RequestBody;
    } catch {
      body = { raw };
    }
    requests.push({ path, headers: req.headers, body });
    const reply: ScriptedReply = queue.shift() ?? { text: defaultReply(body, requests.length) };
    if ("status" in reply) {
      res.writeHead(reply.status, { "content-type": "application/json" }).end(JSON.stringify(protocol.errorBody(reply.status, reply.message ?? "scripted failure")));
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    const chunks = chunkText(reply.text);
    const write = (events: string[]): void => {
      for (const event of events) res.write(event);
    };
    write(protocol.start(body));
    if ("cutAfterChunks" in reply) {
      for (const chunk of chunks.slice(0, reply.cutAfterChunks)) write(protocol.delta(chunk));
      // Let the partial reply reach the client, then drop the connection without finishing the stream.
      setTimeout(() => res.socket?.destroy(), 50);
      return;
    }
    if ("hangAfterChunks" in reply) {
      for (const chunk of chunks.slice(0, reply.hangAfterChunks)) write(protocol.delta(chunk));
      return;
    }
    if ("chunkDelayMs" in reply) {
      for (const chunk of chunkText(reply.text, reply.parts)) {
        write(protocol.delta(chunk));
        await new Promise((resolve) => setTimeout(resolve, reply.chunkDelayMs));
      }
      write(protocol.finish());
      res.end();
      return;
    }
    for (const chunk of chunks) write(protocol.delta(chunk));
    write(protocol.finish("finishReason" in reply ? reply.finishReason : "stop"));
    res.end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...replies) => queue.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// The floor of `victor-migrate` for legacy JSON files: list the folder, read a few files ahead, hash,
// decode, parse, map the envelope onto a save input, and import 200 files per transaction through
// FloorStore.importSessions (ledger row per file, full-text index filled per batch). No schema
// validation, no report, no repair of damaged files: only the work every file needs.
import { createHash } from "node:crypto";
import { readFile } from "node:fs";
import { opendir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const read = promisify(readFile);
const utf8 = new TextDecoder("utf-8", { fatal: true });
const iso = (value) => (typeof value === "string" && value ? new Date(value).toISOString() : undefined);

function toItem(path, stem, bytes) {
  const session = JSON.parse(utf8.decode(bytes));
  const { metadata = {}, conversation = {}, conversation_state = null } = session;
  return {
    input: {
      sessionId: stem,
      conversation: { ...conversation, messages: conversation.messages ?? [] },
      model: metadata.model ?? "",
      provider: metadata.provider ?? "",
      profile: metadata.profile || "default",
      title: metadata.title ? metadata.title : undefined,
      tags: metadata.tags ?? [],
      conversationState: conversation_state,
      createdAt: iso(metadata.created_at),
      updatedAt: iso(metadata.updated_at),
    },
    source: { key: path, size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") },
  };
}

/** Imports every `*.json` of `dir` into `store`; returns how many files were imported. */
export async function importLegacyFolder(dir, store, { batchSize = 200, readAhead = 16 } = {}) {
  const queue = [];
  let batch = [];
  let imported = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    imported += (await store.importSessions(batch)).filter((r) => r.status === "created").length;
    batch = [];
  };
  const take = async () => {
    const { path, stem, bytes } = await queue.shift();
    batch.push(toItem(path, stem, bytes));
    if (batch.length >= batchSize) await flush();
  };
  for await (const entry of await opendir(dir)) {
    if (!entry.isFile() || !entry.name.endsWith(".json")) continue;
    const path = join(dir, entry.name);
    queue.push(read(path).then((bytes) => ({ path, stem: entry.name.slice(0, -5), bytes })));
    if (queue.length >= readAhead) await take();
  }
  while (queue.length > 0) await take();
  await flush();
  return imported;
}

// The floor of `victor sessions import FILE`: the export file streamed and split into sessions by
// the same reader the CLI uses (apps/cli's json-array-reader, so the comparison is about the store),
// each envelope mapped onto a save input, 200 sessions per FloorStore.importSessions transaction.
// No check pass, no validation. Usage: node floor-import-file.mjs FILE DB → prints {seconds, peakRssMB, imported}
import { createReadStream } from "node:fs";
import { performance } from "node:perf_hooks";
import { readJsonArray } from "../../apps/cli/dist/files/json-array-reader.js";
import { FloorStore } from "./floor-store.mjs";

const [, , file, dbPath] = process.argv;
const store = await FloorStore.open(dbPath);
let batch = [];
let imported = 0;
const flush = async () => {
  imported += (await store.importSessions(batch)).filter((r) => r.status === "created").length;
  batch = [];
};
for await (const { value } of readJsonArray(createReadStream(file, { highWaterMark: 1 << 20 }))) {
  const { metadata, conversation, conversation_state } = value;
  batch.push({
    input: {
      sessionId: metadata.session_id,
      conversation,
      model: metadata.model,
      provider: metadata.provider,
      profile: metadata.profile,
      title: metadata.title_is_custom ? metadata.title : undefined,
      tags: metadata.tags,
      conversationState: conversation_state,
      createdAt: metadata.created_at,
      updatedAt: metadata.updated_at,
    },
  });
  if (batch.length >= 200) await flush();
}
await flush();
await store.close();
// Seconds since the process started, as the CLI's figure is taken.
process.stdout.write(JSON.stringify({ seconds: performance.now() / 1000, peakRssMB: process.resourceUsage().maxRSS / 1024, imported }));

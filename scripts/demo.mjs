// Shows the store on real data until the CLIs exist: imports the sample sessions and lists them.
import { openSessionStore, parseSessionEnvelope, toSaveInput } from "@victor/core";
import { readFileSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";

const dir = new URL("../examples/legacy-sessions/project/.victor/sessions/", import.meta.url).pathname;
const store = await openSessionStore({ dbPath: join(process.cwd(), ".victor", "project.db") });
for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
  try {
    const session = parseSessionEnvelope(JSON.parse(readFileSync(join(dir, file), "utf8")), file);
    session.metadata.session_id = basename(file, ".json");
    await store.saveSession({ ...toSaveInput(session), replace: true });
  } catch (error) {
    console.log(`skipped ${file}: ${error.message}`);
  }
}
for (const s of await store.listSessions({ limit: 20 })) console.log(`${s.id}  ${s.title}  (${s.messageCount} messages)`);
await store.close();

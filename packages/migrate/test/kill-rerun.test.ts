import { sqliteMaintenance } from "@victor/core";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, legacy, migrate, msg, openStore, REPO_ROOT, tempDir, writeLegacy } from "./helpers.js";

afterEach(cleanup);

const FILES = 1500;

describe("a run killed half way", () => {
  it("finishes on the next run with every session exactly once and an intact database", async () => {
    const dir = tempDir();
    const sessions = dir.join("sessions");
    for (let i = 0; i < FILES; i++) {
      writeLegacy(sessions, `s${i}.json`, legacy(`s${i}`, {}, [msg("user", `question ${i} ${"lorem ipsum ".repeat(20)}`), msg("assistant", "answer ".repeat(100))]));
    }
    const dbPath = dir.join("project.db");
    const script = dir.join("child.mjs");
    const lib = join(REPO_ROOT, "packages", "migrate", "dist", "index.js");
    writeFileSync(
      script,
      `import { migrateLegacySessions } from ${JSON.stringify(lib)};
await migrateLegacySessions({ sources: [${JSON.stringify(sessions)}], dbPath: ${JSON.stringify(dbPath)}, batchSize: 25,
  onProgress: (e) => {
    if (e.kind !== "file") return;
    process.stdout.write(e.done + "\\n");
    // Past the kill point, slow down so the parent's SIGKILL surely lands mid-run.
    if (e.done >= 300) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
  } });
process.stdout.write("finished\\n");`,
    );
    const killedAt = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
      let last = 0;
      let buffer = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        buffer += chunk;
        const lines = buffer.split("\n");
        buffer = lines.pop()!;
        for (const line of lines) {
          if (line === "finished") reject(new Error("the child finished before it could be killed"));
          last = Number(line);
          if (last >= 300 && !child.killed) child.kill("SIGKILL");
        }
      });
      child.on("error", reject);
      child.on("close", (_code, signal) => (signal === "SIGKILL" ? resolve(last) : reject(new Error(`child exited without being killed (${signal})`))));
    });
    expect(killedAt).toBeGreaterThanOrEqual(300);
    const partial = await openStore(dbPath, true);
    const partialCount = await partial.countSessions();
    expect(partialCount).toBeGreaterThanOrEqual(300);
    expect(partialCount).toBeLessThan(FILES);
    expect((await partial.ledger.list()).length).toBe(partialCount);
    await partial.close();

    const { report } = await migrate({ sources: [sessions], dbPath, backup: false });
    expect(report.counts.failed).toBe(0);
    expect(report.counts.conflict).toBe(0);
    expect(report.counts.unchanged).toBe(partialCount);
    expect(report.counts.imported).toBe(FILES - partialCount);
    const store = await openStore(dbPath, true);
    expect(await store.countSessions()).toBe(FILES);
    expect(await (await sqliteMaintenance(store)).integrityCheck()).toBe("ok");
    const ids = (await store.listSessions({ limit: -1 })).map((s) => s.id);
    expect(new Set(ids).size).toBe(FILES);
    expect((await store.ledger.list()).filter((e) => e.outcome === "imported")).toHaveLength(FILES);
  });
});

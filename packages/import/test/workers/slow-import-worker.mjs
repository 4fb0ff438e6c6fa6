// Usage: node slow-import-worker.mjs <distIndexUrl> <source> <dbPath>
// `victor import codex --source <source>`; the test kills it part way through.
const [distUrl, source, dbPath] = process.argv.slice(2);
const { importSessionsFromTools } = await import(distUrl);
await importSessionsFromTools({ tools: ["codex"], sources: [source], dbPath, cwd: "/home/dev/demo-app" });
process.stdout.write("finished\n");

// Usage: node import-worker.mjs <distIndexUrl> <source> <dbPath> <startAtMs>
// One `victor import claude --source <source> --all-projects` run; prints its counts as one JSON line.
const [distUrl, source, dbPath, startAt] = process.argv.slice(2);
const { importSessionsFromTools } = await import(distUrl);
// Busy-wait so every worker starts at the same moment.
while (Date.now() < Number(startAt)) continue;
const report = await importSessionsFromTools({ tools: ["claude"], sources: [source], dbPath, allProjects: true, cwd: "/home/dev/demo-app" });
process.stdout.write(`${JSON.stringify({ counts: report.counts, failed: report.failed, conflicts: report.conflicts })}\n`);

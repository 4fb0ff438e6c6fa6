import type { SyncReport, SyncSessionResult, SyncStatus } from "@victor/core";
import { listedLines, sanitizeLine, wrapToWidth, type Colors } from "@victor/terminal";
import { plural } from "./format.js";

/** What a push or pull did, for people: one summary line, then what needs a look. */
export function renderSyncReport(report: SyncReport, c: Colors, width: number | undefined, project: string | null): string {
  const pushed = report.direction === "push";
  const there = pushed ? report.to : report.from;
  const side = pushed ? "there" : "here";
  const out: string[] = [];
  const prose = (text: string): string[] => wrapToWidth(sanitizeLine(text), width);
  out.push(...prose(`${pushed ? "Pushed to" : "Pulled from"} ${there}${project ? ` · project ${project}` : ""}`));
  const { counts } = report;
  const written = (["created", "updated", "forked", "renamed"] as const).filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  const quiet = [counts.unchanged > 0 ? `${counts.unchanged} unchanged` : "", counts.linked > 0 ? `${counts.linked} already the same (linked)` : ""].filter(Boolean);
  if (report.sessions.length === 0) out.push(pushed ? "No sessions here to push." : "No sessions there to pull.");
  else if (report.sessionsSent === 0) out.push(...prose(`Nothing to ${pushed ? "send" : "receive"}${quiet.length > 0 ? ` · ${quiet.join(", ")}` : ""}.`));
  else out.push(...prose(`${plural(report.sessionsSent, "session")} ${pushed ? "sent" : "received"} (${plural(report.messagesSent, "message")})${written.length > 0 ? `: ${written.join(", ")}` : ""}${quiet.length > 0 ? ` · ${quiet.join(", ")}` : ""}`));
  const of = (status: SyncStatus) => report.sessions.filter((s) => s.status === status);
  const list = (items: readonly SyncSessionResult[], line: (s: SyncSessionResult) => string) => listedLines(items, 30, (s) => `  ${line(s)}`, width);
  if (counts.forked > 0) {
    out.push(c.yellow(`Kept as forks, nothing overwritten (${counts.forked}):`));
    out.push(...list(of("forked"), (s) => `${s.id} → ${s.targetId} ${s.targetId ? `(a fork of ${s.forkOf} ${side}: ${s.reason === "not-yours" ? "that one is not yours to change" : "it changed there too"})` : ""}`));
  }
  if (counts.renamed > 0) {
    out.push(`Under another id ${side}, its own was taken by another session (${counts.renamed}):`);
    out.push(...list(of("renamed"), (s) => `${s.id} → ${s.targetId}`));
  }
  // What --share / --no-share did: without it, a push that only shared would read "Nothing to send".
  const sharing = (flag: boolean) => report.sessions.filter((s) => s.shared === flag).map((s) => s.targetId ?? s.id);
  for (const [flag, label] of [
    [true, "Shared: readable by the server's other users"],
    [false, "Private: only you can read them"],
  ] as const) {
    const ids = sharing(flag);
    const more = ids.length > 10 ? `, … and ${ids.length - 10} more (see --json)` : "";
    if (ids.length > 0) out.push(...prose(`${label} (${ids.length}): ${ids.slice(0, 10).join(", ")}${more}`));
  }
  if (counts["newer-there"] > 0) {
    out.push(...prose(`Changed ${pushed ? "on the server" : "here"} since the last sync, not ${pushed ? "pushed" : "pulled"} (${pushed ? "victor sessions pull brings them" : "victor sessions push sends them"}): ${of("newer-there").map((s) => s.id).join(", ")}`).map((l) => c.dim(l)));
  }
  if (counts["deleted-there"] > 0) {
    out.push(...prose(`Deleted ${side} since the last sync, not ${pushed ? "pushed" : "pulled"} again (name them to bring them back): ${of("deleted-there").map((s) => s.id).join(", ")}`).map((l) => c.dim(l)));
  }
  if (counts.failed > 0) {
    out.push(c.red(`Failed (${counts.failed}):`));
    out.push(...list(of("failed"), (s) => `${s.id}: ${s.reason ?? "unknown"}`));
  }
  return `${out.join("\n")}\n`;
}

/** The report in the --json vocabulary (snake_case, like every --json). */
export function syncReportToJson(report: SyncReport, project: string | null): Record<string, unknown> {
  return {
    direction: report.direction,
    from: report.from,
    to: report.to,
    project,
    sessions_sent: report.sessionsSent,
    messages_sent: report.messagesSent,
    counts: Object.fromEntries(Object.entries(report.counts).map(([status, n]) => [status.replace(/-/g, "_"), n])),
    sessions: report.sessions.map((s) => ({
      session_id: s.id,
      target_id: s.targetId,
      status: s.status,
      messages_sent: s.messagesSent,
      ...(s.forkOf === undefined ? {} : { fork_of: s.forkOf }),
      ...(s.reason === undefined ? {} : { reason: s.reason }),
      ...(s.shared === undefined ? {} : { shared: s.shared }),
    })),
    duration_ms: report.durationMs,
  };
}

import type { ContextEpoch, ContextHistory, Message, Session } from "@victor/core";
import { formatTimestamp, plural } from "./format.js";

/**
 * A session's history as the human views show it (`sessions show`, the Markdown transcript): the
 * context in order, numbered as the model sees it (#1, #2 … — what `fork --at N` counts), and the
 * messages outside it where they were, each with what took it out.
 */

/** One line of a session's history, in stored order. */
export type HistoryEntry =
  /** A message of the context: its number (1-based); `carriedFrom`: a copy a compaction kept. */
  | { inContext: true; number: number; message: Message; carriedFrom: boolean }
  /** A message outside the context: the change that took it out; `keptAs`: the number of its copy in the context. */
  | { inContext: false; message: Message; change: ContextEpoch | undefined; keptAs: number | null };

type InContext = Extract<HistoryEntry, { inContext: true }>;
type Outside = Extract<HistoryEntry, { inContext: false }>;

/** "the smart compaction", "the rewind", …: a change named in a sentence. */
export function describeChange(change: Pick<ContextEpoch, "kind">): string {
  switch (change.kind) {
    case "compact-smart":
      return "the smart compaction";
    case "compact":
      return "the compaction";
    case "rewind":
      return "the rewind";
    case "import":
      return "the import";
    case "undo":
      return "the undo";
    default:
      return "the replacement";
  }
}

/** What happened to a message that left the context: "compacted 2026-01-07 14:30", "summarised …", "rewound …". */
export function leftBecause(change: ContextEpoch | undefined): string {
  if (!change) return "outside the context";
  const verb = { compact: "compacted", "compact-smart": "summarised", rewind: "rewound", replace: "replaced", import: "replaced by an import", undo: "taken back by an undo" }[change.kind];
  return `${verb} ${formatTimestamp(change.at)}`;
}

/** The entries of a session loaded with `{ all: true }`; its context alone when it has no history. */
export function historyEntries(session: Session): HistoryEntry[] {
  const context = session.conversation.messages;
  const history = session.context_history;
  if (!history) return context.map((message, i) => ({ inContext: true, number: i + 1, message, carriedFrom: false }));
  const epochs = new Map(history.epochs.map((e) => [e.epoch, e]));
  const copyAt = keptInContext(history);
  const entries: (HistoryEntry & { position: number })[] = [
    ...history.context.map((row, i) => ({ position: row.position, inContext: true as const, number: i + 1, message: context[i]!, carriedFrom: row.carried_from !== undefined })),
    ...history.out_of_context.map((row) => ({ position: row.position, inContext: false as const, message: row.message, change: epochs.get(row.epoch), keptAs: copyAt.get(row.position) ?? null })),
  ];
  return entries.sort((a, b) => a.position - b.position).map(({ position: _position, ...entry }) => entry);
}

/**
 * For each stored position, the number of the context message that is the same message: rows
 * linked by `carried_from`, in either direction and over several compactions (a copy of a copy;
 * an original brought back by an undo while its copy left). Those are no loss to mention.
 */
function keptInContext(history: ContextHistory): Map<number, number> {
  const root = new Map<number, number>();
  const find = (p: number): number => {
    let r = p;
    while (root.has(r) && root.get(r) !== r) r = root.get(r)!;
    return r;
  };
  for (const row of [...history.context, ...history.out_of_context]) {
    if (row.carried_from !== undefined) root.set(find(row.position), find(row.carried_from));
  }
  const numberOf = new Map<number, number>();
  history.context.forEach((row, i) => numberOf.set(find(row.position), i + 1));
  const kept = new Map<number, number>();
  for (const row of history.out_of_context) {
    const n = numberOf.get(find(row.position));
    if (n !== undefined) kept.set(row.position, n);
  }
  return kept;
}

/** A run of messages outside the context, for views of the context: "40 messages outside the context (summarised 2026-01-07 14:30)". */
export function summariseOutside(run: readonly Outside[]): string {
  // Copies kept in the context are no loss to mention; the others are.
  const gone = run.filter((e) => e.keptAs === null);
  const reasons = [...new Set(gone.map((e) => leftBecause(e.change)))];
  return `${plural(gone.length, "message")} outside the context (${reasons.join("; ")})`;
}

/** Groups the entries for a view of the context: messages, and runs of outside messages as one item. */
export function contextView(entries: readonly HistoryEntry[]): ({ message: InContext } | { outside: Outside[] })[] {
  const items: ({ message: InContext } | { outside: Outside[] })[] = [];
  for (const entry of entries) {
    if (entry.inContext) items.push({ message: entry });
    else {
      const last = items.at(-1);
      if (last && "outside" in last) last.outside.push(entry);
      else items.push({ outside: [entry] });
    }
  }
  // A run of nothing but copies (kept messages) says nothing a reader would miss.
  return items.filter((item) => !("outside" in item) || item.outside.some((e) => e.keptAs === null));
}

/** The history line of the `show` panel: how much is outside the context, and through which changes. */
export function historySummary(session: Session): string | null {
  const history = session.context_history;
  if (!history) return null;
  // Counted as the line in the conversation counts them: a message kept in the context is not outside it.
  const outside = history.out_of_context.length - keptInContext(history).size;
  const active = history.epochs.filter((e) => e.kind !== "undo" && e.undone_by === undefined);
  const kinds = new Map<string, number>();
  for (const e of active) {
    const kind = describeChange(e).replace(/^the /, "");
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  const changes = [...kinds].map(([kind, n]) => (n === 1 ? kind : `${n} × ${kind}`));
  return `${plural(outside, "message")} outside the context${changes.length ? ` (${changes.join(", ")})` : ""}`;
}

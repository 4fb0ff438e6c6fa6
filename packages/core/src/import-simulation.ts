import { createHash } from "node:crypto";
import { planImport, sourceOfSession, type ImportState } from "./import-decision.js";
import { suffixedSessionId } from "./ids.js";
import { InvalidSessionDataError, InvalidSessionIdError } from "./errors.js";
import { checkSaveInput } from "./save-session.js";
import { encodeMessage } from "./message-codec.js";
import type { ImportItem, ImportItemResult, LedgerEntry, Message } from "./types.js";

const rowHash = (message: Message, i: number): string => createHash("sha1").update(JSON.stringify(encodeMessage(message, i))).digest("base64");

/**
 * What importing would do, decided by the same rules as a real import (planImport) over the store
 * as it is plus what the simulated imports so far would have written. Writes nothing: this is
 * what `--dry-run` reports. A simulated session keeps only a hash per message.
 */
export class ImportSimulation {
  private readonly sessions = new Map<string, { revision: number; source: string | null; rows: string[] }>();
  private readonly ledger = new Map<string, LedgerEntry>();
  private readonly state: ImportState;

  /** `base`: the existing store's state (read-only), or null for a database that has no sessions yet. */
  constructor(private readonly base: ImportState | null) {
    this.state = {
      ledger: (key) => this.ledger.get(key) ?? this.base?.ledger(key) ?? null,
      head: (id) => {
        const simulated = this.sessions.get(id);
        return simulated ? { revision: simulated.revision, source: simulated.source } : (this.base?.head(id) ?? null);
      },
      startsWith: (id, messages) => {
        const simulated = this.sessions.get(id);
        if (!simulated) return this.base?.startsWith(id, messages) ?? false;
        return messages.length <= simulated.rows.length && messages.every((m, i) => rowHash(m, i) === simulated.rows[i]);
      },
      freeId: (base) => {
        for (let n = 1; ; n++) {
          const candidate = suffixedSessionId(base, n);
          if (this.state.head(candidate) === null) return candidate;
        }
      },
    };
  }

  /** Like importSessions, an item the store would reject comes back as its error. */
  run(items: readonly ImportItem[]): (ImportItemResult | Error)[] {
    return items.map((item) => {
      try {
        return this.runOne(item);
      } catch (error) {
        if (error instanceof InvalidSessionDataError || error instanceof InvalidSessionIdError) return error;
        throw error;
      }
    });
  }

  private runOne(item: ImportItem): ImportItemResult {
    checkSaveInput(item.input);
    const plan = planImport(this.state, item);
    const source = item.source;
    const entry = (sessionId: string | null, outcome: LedgerEntry["outcome"], revision: number | null): void => {
      if (source) {
        this.ledger.set(source.key, { sourcePath: source.key, size: source.size, sha256: source.sha256, sessionId, outcome, reason: null, importedAt: "", revision });
      }
    };
    if (plan.action === "none") {
      if (plan.ledger) entry(plan.ledger.sessionId, plan.ledger.outcome, null);
      return plan.result;
    }
    const revision = (this.state.head(plan.sessionId)?.revision ?? 0) + 1;
    const storedSource = sourceOfSession({ metadata_extra: item.input.metadataExtra });
    this.sessions.set(plan.sessionId, { revision, source: storedSource, rows: item.input.conversation.messages.map(rowHash) });
    entry(plan.sessionId, plan.ledgerOutcome, revision);
    return plan.result;
  }
}

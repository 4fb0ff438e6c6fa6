import { createHash } from "node:crypto";
import { planImport, sourceOfSession, type ImportState } from "./import-decision.js";
import { suffixedSessionId } from "./ids.js";
import { InvalidSessionDataError, InvalidSessionIdError } from "./errors.js";
import { reservedIds, runImportBatch } from "./import-batch.js";
import { checkSaveInput } from "./save-plan.js";
import { encodeMessage } from "./message-codec.js";
import type { ImportItem, ImportItemResult, LedgerEntry, Message } from "./types.js";

const rowHash = (message: Message, i: number): string => createHash("sha1").update(JSON.stringify(encodeMessage(message, i))).digest("base64");

/**
 * What importing would do, decided by the same rules as a real import (planImport) over the store
 * as it is plus what the simulated imports so far would have written. Writes nothing: this is
 * what `--dry-run` reports. A simulated session keeps only a hash per message.
 */
export class ImportSimulation {
  /**
   * Sessions the simulated imports wrote. Positions below `basePrefix` are the existing store's
   * rows of that id (kept by a part that continues a stored session); `rows` hash the ones after.
   */
  private readonly sessions = new Map<string, { revision: number; source: string | null; parentId: string | null; basePrefix: number; rows: string[] }>();
  private readonly ledger = new Map<string, LedgerEntry>();
  private readonly state: ImportState;
  /** Ids the batch being simulated asks for (see import-batch.ts). */
  private reserved: ReadonlySet<string> = new Set();

  /** `base`: the existing store's state (read-only), or null for a database that has no sessions yet. */
  constructor(private readonly base: ImportState | null) {
    this.state = {
      ledger: async (key) => this.ledger.get(key) ?? (await this.base?.ledger(key)) ?? null,
      head: async (id) => {
        const simulated = this.sessions.get(id);
        return simulated ? { revision: simulated.revision, source: simulated.source, parentId: simulated.parentId } : ((await this.base?.head(id)) ?? null);
      },
      startsWith: async (id, messages) => {
        const simulated = this.sessions.get(id);
        if (!simulated) return (await this.base?.startsWith(id, messages)) ?? false;
        const { basePrefix, rows } = simulated;
        if (messages.length > basePrefix + rows.length) return false;
        if (basePrefix > 0 && !((await this.base?.startsWith(id, messages.slice(0, basePrefix))) ?? false)) return false;
        return messages.every((m, i) => i < basePrefix || rowHash(m, i) === rows[i - basePrefix]);
      },
      freeId: async (base) => {
        for (let n = 1; ; n++) {
          const candidate = suffixedSessionId(base, n);
          if (!this.reserved.has(candidate) && (await this.state.head(candidate)) === null) return candidate;
        }
      },
    };
  }

  /** Like importSessions (one batch), except that an item the store would reject comes back as its error. */
  async run(items: readonly ImportItem[]): Promise<(ImportItemResult | Error)[]> {
    this.reserved = reservedIds(items);
    return runImportBatch(items, async (item) => {
      try {
        return await this.runOne(item);
      } catch (error) {
        if (error instanceof InvalidSessionDataError || error instanceof InvalidSessionIdError) return error;
        throw error;
      }
    });
  }

  private async runOne(item: ImportItem): Promise<ImportItemResult> {
    checkSaveInput(item.input);
    const plan = await planImport(this.state, item);
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
    const head = await this.state.head(plan.sessionId);
    const revision = (head?.revision ?? 0) + 1;
    const kept = item.input.keepMessages ?? 0;
    const previous = this.sessions.get(plan.sessionId);
    // The kept positions: from what this simulation wrote there, else from the store itself.
    const basePrefix = previous ? Math.min(previous.basePrefix, kept) : kept;
    const keptRows = previous ? previous.rows.slice(0, Math.max(0, kept - previous.basePrefix)) : [];
    const rows = [...keptRows, ...item.input.conversation.messages.map((m, i) => rowHash(m, kept + i))];
    // A part that keeps messages inherits the stored metadata when it gives none (as a save does).
    const storedSource = item.input.metadataExtra === undefined && kept > 0 ? (head?.source ?? null) : sourceOfSession({ metadata_extra: item.input.metadataExtra });
    const parentId = plan.parentId ?? item.input.parentId ?? null;
    this.sessions.set(plan.sessionId, { revision, source: storedSource, parentId, basePrefix, rows });
    entry(plan.sessionId, plan.ledgerOutcome, revision);
    return { ...plan.result, revision };
  }
}

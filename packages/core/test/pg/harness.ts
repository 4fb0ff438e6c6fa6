import { pgTransaction, toPgMessageRow, type PgAccess, type PgExecutor } from "../../src/engine/pg/access.js";
import type { PgConnection } from "../../src/engine/pg/connection.js";
import { SessionConflictError } from "../../src/domain/errors.js";
import { foldForSearch } from "../../src/domain/fold.js";
import { timestampSessionId } from "../../src/domain/ids.js";
import { decodeMessage, encodeMessage, sameRow, type MessageRow } from "../../src/domain/message-codec.js";
import { buildDataColumn, buildEnvelope } from "../../src/domain/session-data.js";
import { isoNow } from "../../src/domain/time.js";
import { deriveTitle } from "../../src/domain/titles.js";
import type { Message, SaveSessionInput, Session } from "../../src/domain/types.js";

/**
 * The save and load of SessionStore, reduced to what the tests need, over the PostgreSQL access
 * primitives: what the engine interface will run once it is wired in. `knownPrefix` stands for the
 * store's snapshot cache (messages known to be stored unchanged, not re-read); `observe` runs SQL
 * of the test's own at the start and the end of the transaction.
 */
export class PgHarness {
  constructor(
    readonly connection: PgConnection,
    readonly project: string,
  ) {}

  transaction<T>(fn: (access: PgAccess, tx: PgExecutor) => Promise<T>, options?: { readOnly?: boolean }): Promise<T> {
    return pgTransaction(this.connection, this.project, fn, options);
  }

  async save(input: SaveSessionInput, options: { knownPrefix?: number; observe?: (tx: PgExecutor, moment: "start" | "end") => Promise<void> } = {}) {
    return this.transaction(async (access, tx) => {
      await options.observe?.(tx, "start");
      const messages = input.conversation.messages;
      const encode = (i: number): MessageRow => toPgMessageRow(encodeMessage(messages[i]!, i));
      const now = isoNow();
      const head = input.sessionId === undefined ? null : await access.sessionHead(input.sessionId, { forUpdate: true });
      if (input.expectedRevision !== undefined && head && head.revision !== input.expectedRevision) {
        throw new SessionConflictError(head.id, input.expectedRevision, head.revision);
      }
      const titleIsCustom = input.title !== undefined || head?.data.title_is_custom === true;
      const title = input.title ?? (titleIsCustom && head ? head.name : deriveTitle(messages));
      const row = {
        name: title,
        search_title: foldForSearch(title),
        provider: input.provider,
        model: input.model,
        profile: input.profile ?? "default",
        data: JSON.stringify(buildDataColumn(input, titleIsCustom, head?.data ?? null)),
        created_at: head?.created_at ?? now,
        updated_at: now,
        message_count: messages.length,
        parent_id: input.parentId ?? null,
      };
      let id: string;
      let revision: number;
      let firstNew = 0;
      if (!head) {
        revision = 1;
        if (input.sessionId === undefined) id = await access.insertSessionWithFreshId(timestampSessionId(new Date(now)), { ...row, revision });
        else await access.insertSession({ id: (id = input.sessionId), ...row, revision });
      } else {
        id = head.id;
        firstNew = options.knownPrefix ?? 0;
        const limit = Math.min(head.message_count, messages.length);
        if (firstNew < limit) {
          for (const stored of await access.messagesOf(id, firstNew)) {
            if (firstNew >= limit || !sameRow(stored, encode(firstNew))) break;
            firstNew++;
          }
        }
        if (firstNew < head.message_count) await access.deleteMessagesFrom(id, firstNew);
        revision = (await access.updateSession({ id, ...row }))!;
      }
      const rows = [];
      for (let i = firstNew; i < messages.length; i++) rows.push({ session_id: id, position: i, created_at: now, ...encode(i) });
      await access.insertMessages(rows);
      await options.observe?.(tx, "end");
      return { sessionId: id, revision, created: !head, written: rows.length };
    });
  }

  async load(id: string): Promise<Session | null> {
    return this.transaction(
      async (access) => {
        const row = await access.sessionRow(id);
        if (!row) return null;
        return buildEnvelope(row, (await access.messagesOf(id)).map(decodeMessage));
      },
      { readOnly: true },
    );
  }
}

export function msgs(...texts: string[]): Message[] {
  return texts.map((content, i) => ({ role: i % 2 === 0 ? "user" : "assistant", content }));
}

export function input(messages: Message[], extra: Partial<SaveSessionInput> = {}): SaveSessionInput {
  return { conversation: { messages }, model: "gpt-test", provider: "openai", ...extra };
}

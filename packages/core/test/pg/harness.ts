import type { SessionStore as Store } from "../../src/index.js";
import type { PgAccess } from "../../src/engine/pg/access.js";
import type { PgConnection, PgExecutor } from "../../src/engine/pg/connection.js";
import { PgEngine } from "../../src/engine/pg/engine.js";
import { SessionStore } from "../../src/store.js";
import type { Message, SaveSessionInput } from "../../src/domain/types.js";

/**
 * The PostgreSQL engine over a connection a test made (its own pool, a role of its own): the
 * engine's primitives in one transaction, or the whole store API on it. The fixture ends the pool.
 */
export function pgEngine(connection: PgConnection, project: string): PgEngine {
  return new PgEngine(connection, project, false);
}

/** The session store on a test's connection (not closed by the test: the fixture ends the pool). */
export function storeOn(connection: PgConnection, project: string): Store {
  return new SessionStore(pgEngine(connection, project));
}

/** One write transaction with the access primitives (typed errors, as the store gets them). */
export function pgWrite<T>(connection: PgConnection, project: string, fn: (access: PgAccess, tx: PgExecutor) => Promise<T>): Promise<T> {
  const engine = pgEngine(connection, project);
  return engine.transaction((tx) => fn(engine.access(tx, true), tx));
}

/** One read-only transaction with the access primitives. */
export function pgRead<T>(connection: PgConnection, project: string, fn: (access: PgAccess) => Promise<T>): Promise<T> {
  const engine = pgEngine(connection, project);
  return engine.transaction((tx) => fn(engine.access(tx, false)), { readOnly: true });
}

export function msgs(...texts: string[]): Message[] {
  return texts.map((content, i) => ({ role: i % 2 === 0 ? "user" : "assistant", content }));
}

export function input(messages: Message[], extra: Partial<SaveSessionInput> = {}): SaveSessionInput {
  return { conversation: { messages }, model: "gpt-test", provider: "openai", ...extra };
}

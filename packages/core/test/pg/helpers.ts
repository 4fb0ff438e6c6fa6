import { createPgTestDatabase, pgTestUrl, type PgTestDatabase } from "@victor/test-utils";
import { describe } from "vitest";
import { openPgConnection, type PgConnection } from "../../src/engine/pg/connection.js";
import { migratePg } from "../../src/engine/pg/migrate.js";

/** The test server's URL; null outside CI without one (see pgTestUrl). */
export const pgUrl = pgTestUrl();

/** describe() that runs only with a server (the global setup prints why when it skips). */
export const describePg: ReturnType<typeof describe.skipIf> = describe.skipIf(pgUrl === null);

export interface PgFixture extends PgTestDatabase {
  /** A pool on this database (as the test role unless another URL is given), closed by cleanup. */
  connect(url?: string, options?: { lockTimeoutMs?: number; maxConnections?: number }): PgConnection;
  /** Connects and applies the migrations. */
  migrated(url?: string): Promise<PgConnection>;
  cleanup(): Promise<void>;
}

export async function pgFixture(): Promise<PgFixture> {
  const database = await createPgTestDatabase(pgUrl!);
  const connections: PgConnection[] = [];
  const connect: PgFixture["connect"] = (url = database.url, options = {}) => {
    const connection = openPgConnection({ url, ...options });
    connections.push(connection);
    return connection;
  };
  return {
    ...database,
    connect,
    async migrated(url) {
      const connection = connect(url);
      await migratePg(connection.pool, connection.target);
      return connection;
    },
    async cleanup() {
      await Promise.all(connections.splice(0).map((c) => c.pool.end()));
      await database.drop();
    },
  };
}

import { closeDefaultDatabaseClient, createDatabaseClient, type DatabaseClient, resolveDatabase, type ResolvedDatabase, setDefaultDatabaseClient } from "@mmo/db";
import { createOutput, type Output } from "./output.ts";

/** What every command gets: where to print, and a lazily opened connection to its database. */
export interface CommandContext {
  out: Output;
  /** Resolves the database (--database-url, DATABASE_URL, else the embedded server) once. */
  database(): Promise<ResolvedDatabase>;
  /** The shared client for that database (from packages/db; no command opens its own). */
  client(): Promise<DatabaseClient>;
  dispose(): Promise<void>;
}

export function createContext(options: { databaseUrl?: string | undefined; out?: Output }): CommandContext {
  const out = options.out ?? createOutput();
  let resolved: Promise<ResolvedDatabase> | undefined;
  let client: DatabaseClient | undefined;
  const database = () => (resolved ??= resolveDatabase(options.databaseUrl ? { url: options.databaseUrl } : {}));
  return {
    out,
    database,
    async client() {
      if (!client) {
        const { url } = await database();
        client = createDatabaseClient({ url, applicationName: "mmo cli" });
        setDefaultDatabaseClient(client);
      }
      return client;
    },
    async dispose() {
      client = undefined;
      await closeDefaultDatabaseClient();
      if (resolved) await (await resolved).release();
    },
  };
}

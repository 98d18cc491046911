import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { createDatabaseClient, type DatabaseClient } from "../client.ts";
import { withDatabase } from "../url.ts";
import type { TestServer } from "./server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    mmoTestServer: TestServer;
  }
}

export interface TestDatabase extends DatabaseClient {
  name: string;
  url: string;
  server: TestServer;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

export function testServer(): TestServer {
  return inject("mmoTestServer");
}

/**
 * A fresh database for one test file, cloned from the migrated template
 * (`CREATE DATABASE … TEMPLATE …` copies files, so it takes milliseconds, not a deploy).
 * Pass `{ empty: true }` for a database with no migrations at all.
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const server = testServer();
  // The creation time in the name lets a later run clean up what a crashed run left behind.
  const name = `mmo_t_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString("hex")}`;
  await adminQuery(server.adminUrl, options.empty ? `CREATE DATABASE ${pg.escapeIdentifier(name)}` : `CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(server.templateDatabase)}`);
  const url = withDatabase(server.adminUrl, name);
  const client = createDatabaseClient({ url, poolMax: 8, applicationName: "mmo test" });
  return {
    ...client,
    name,
    url,
    server,
    async drop() {
      await client.close();
      await dropDatabase(server.adminUrl, name);
    },
  };
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
}

export async function adminQuery(adminUrl: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

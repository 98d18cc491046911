import pg from "pg";
import { dbEnv } from "../env.ts";
import { databaseName, describeUrl, validateDatabaseUrl, withDatabase } from "../url.ts";
import { startEmbeddedServer } from "./embedded.ts";

export interface ResolvedDatabase {
  url: string;
  kind: "external" | "embedded";
  /** user@host:port/database, no password. */
  description: string;
  /** Stops the embedded server if this call started it; a no-op otherwise. */
  release(): Promise<void>;
}

export interface ResolveOptions {
  /** An explicit URL wins over DATABASE_URL. */
  url?: string;
  /** The database to use on the embedded server. */
  embeddedDatabase?: string;
}

/** DATABASE_URL (or an explicit URL) when given; otherwise the embedded PostgreSQL 18. */
export async function resolveDatabase(options: ResolveOptions = {}): Promise<ResolvedDatabase> {
  const explicit = options.url ?? dbEnv().DATABASE_URL;
  if (explicit) {
    const url = validateDatabaseUrl(explicit);
    return { url, kind: "external", description: describeUrl(url), release: async () => undefined };
  }
  const server = await startEmbeddedServer();
  const url = withDatabase(server.adminUrl, options.embeddedDatabase ?? "mmo");
  await ensureDatabase(server.adminUrl, databaseName(url));
  return { url, kind: "embedded", description: `${describeUrl(url)} (embedded PostgreSQL 18, data in ${server.dataDir})`, release: () => server.stop() };
}

/** Creates the database when missing; a concurrent creator winning the race is fine. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`).catch((error: { code?: string }) => {
        if (error.code !== "42P04") throw error;
      });
    }
  } finally {
    await client.end();
  }
}

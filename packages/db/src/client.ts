import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { dbEnv } from "./env.ts";
import { PrismaClient } from "./generated/prisma/client.ts";
import { nodePgUrl, validateDatabaseUrl } from "./url.ts";

export interface DatabaseClientOptions {
  url: string;
  /** Pool size; default DB_POOL_MAX. */
  poolMax?: number;
  connectTimeoutMs?: number;
  /** Server-side statement_timeout for every connection; 0 disables it. */
  statementTimeoutMs?: number;
  idleTimeoutMs?: number;
  /** Shown in pg_stat_activity, so operators can tell our sessions apart. */
  applicationName?: string;
}

/**
 * One pool serves both Prisma Client (through the pg driver adapter) and raw SQL (COPY, the
 * maintenance functions), so a process never holds two sets of connections to one database.
 */
export interface DatabaseClient {
  prisma: PrismaClient;
  pool: pg.Pool;
  close(): Promise<void>;
}

export function createDatabaseClient(options: DatabaseClientOptions): DatabaseClient {
  const env = dbEnv();
  const url = validateDatabaseUrl(options.url);
  const statementTimeout = options.statementTimeoutMs ?? env.DB_STATEMENT_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: nodePgUrl(url),
    max: options.poolMax ?? env.DB_POOL_MAX,
    connectionTimeoutMillis: options.connectTimeoutMs ?? env.DB_CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: options.idleTimeoutMs ?? env.DB_IDLE_TIMEOUT_MS,
    application_name: options.applicationName ?? "mmo",
    ...(statementTimeout > 0 ? { statement_timeout: statementTimeout } : {}),
  });
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on("error", () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  let closing: Promise<void> | undefined;
  return {
    prisma,
    pool,
    close() {
      closing ??= (async () => {
        await prisma.$disconnect();
        await pool.end();
      })();
      return closing;
    },
  };
}

import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { dbEnv } from "./env.ts";
import { PrismaClient, type Prisma } from "./generated/prisma/client.ts";
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
  /**
   * Prisma's log and query events, each delivered to its handler (Prisma's `log` option with
   * `emit: "event"` and `$on`): `query` gets the SQL, its parameters and duration.
   */
  events?: DatabaseClientEvents;
}

export interface DatabaseClientEvents {
  query?: (event: Prisma.QueryEvent) => void;
  info?: (event: Prisma.LogEvent) => void;
  warn?: (event: Prisma.LogEvent) => void;
  error?: (event: Prisma.LogEvent) => void;
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
  const levels = (["query", "info", "warn", "error"] as const).filter((level) => options.events?.[level]);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool), log: levels.map((level) => ({ emit: "event" as const, level })) });
  // $on is typed only for a client whose log option is known statically; these levels are chosen at run time.
  const on = (prisma as unknown as { $on(level: string, handler: (event: unknown) => void): void }).$on.bind(prisma);
  for (const level of levels) on(level, options.events![level] as (event: unknown) => void);
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

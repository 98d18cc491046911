import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";
import { verifyFullSpelledOut } from "./sslmode.ts";

/** Explicit connection fields, so that a database override is not beaten by a connectionString. */
export function clientConfig(url: string, database?: string): pg.ClientConfig {
  const config = parseIntoClientConfig(verifyFullSpelledOut(url));
  return database === undefined ? config : { ...config, database };
}

/**
 * One connection, like the native engine: Prisma's advisory lock is session-level, so taking it,
 * applying migrations and releasing it must all happen on the same connection.
 */
export function enginePool(url: string, database?: string): pg.Pool {
  return new pg.Pool({ ...clientConfig(url, database), max: 1 });
}

export function describeTarget(url: string): { host: string; port: string; database: string; user: string } {
  const c = clientConfig(url);
  return {
    host: String(c.host ?? "localhost"),
    port: String(c.port ?? 5432),
    database: String(c.database ?? c.user ?? ""),
    user: String(c.user ?? ""),
  };
}


import { parse } from "pg-connection-string";
import { ConfigError } from "./env.ts";

/**
 * Checks a PostgreSQL connection string and returns it unchanged. Errors never echo the string:
 * it may hold a password.
 */
export function validateDatabaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError("the database URL is not a valid URL (expected postgresql://user@host:port/database)");
  }
  if (parsed.protocol !== "postgresql:" && parsed.protocol !== "postgres:") {
    throw new ConfigError(`the database URL must start with postgresql:// (got ${parsed.protocol}//)`);
  }
  if (!databaseName(url)) throw new ConfigError("the database URL names no database");
  return url;
}

export function databaseName(url: string): string {
  return parse(url).database ?? "";
}

/** The same server and credentials, another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** host:port/database with user, never the password: safe for logs and errors. */
export function describeUrl(url: string): string {
  try {
    const c = parse(url);
    const user = c.user ? `${c.user}@` : "";
    return `${user}${c.host ?? "localhost"}:${c.port ?? 5432}/${c.database ?? ""}`;
  } catch {
    return "<unparseable database URL>";
  }
}

/** Removes credentials from any postgres URL inside a text (error messages from drivers and tools). */
export function redactSecrets(text: string): string {
  return text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]+):[^@\s]+@/g, "$1:***@");
}
